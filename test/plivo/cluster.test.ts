// test:serial: forked workers load the flows within --reload-timeout; npm run test:unit runs it after the others, alone.
/**
 * `ivr serve --workers N`: a real primary forking real workers on a loopback port. Calls reach the
 * workers through the one port, each is answered by the flow, and SIGTERM drains every worker
 * (each call's record on disk) before the primary exits 0.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { resolveServeConfig } from '../support/serve-config.js';

function startCluster(workers: number, records: string): Promise<{ proc: ChildProcess; port: number; out: () => string }> {
  const proc = spawn(process.execPath, [
    'bin/ivr.js', 'serve', 'flows', '--port', '0', '--host', '127.0.0.1', '--workers', String(workers),
    '--records', records, '--log-level', 'warn', '--no-reload', '--drain-timeout', '1s',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+) \((\d+) workers\)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]), out: () => out });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`ivr serve exited with ${code} before listening:\n${out}`)));
  });
}

/** Opens a stream, sends a start frame, resolves with the socket once the flow plays something. */
function call(port: number, n: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/stream/support`);
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(JSON.stringify({
        event: 'start', sequenceNumber: 1,
        start: { callId: `cluster-${n}`, streamId: `s-${n}`, accountId: 'MA', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
        extra_headers: '',
      }));
    });
    ws.on('message', (data) => {
      if ((JSON.parse(data.toString()) as { event: string }).event === 'playAudio') resolve(ws);
    });
  });
}

describe('ivr serve --workers', () => {
  test('workers share the port, answer calls, and SIGTERM drains them all (every call recorded) before exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-cluster-'));
    const records = join(dir, 'calls.jsonl');
    const { proc, port } = await startCluster(2, records);
    try {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      const sockets = await Promise.all([1, 2, 3, 4].map((n) => call(port, n)));
      const closed = sockets.map((ws) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))));
      const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      // The drain ends calls still running at its deadline; the streams are closed by the server.
      const codes = await Promise.all(closed);
      assert.equal(codes.length, 4);
      assert.equal(await exit, 0);
      const lines = readFileSync(records, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { callId: string });
      assert.deepEqual(lines.map((l) => l.callId).sort(), ['cluster-1', 'cluster-2', 'cluster-3', 'cluster-4']);
    } finally {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--workers and IVR_WORKERS: a whole number, 0 (the default) serves in one process', () => {
    const config = (flags: { workers?: string }, env: Record<string, string> = {}) => resolveServeConfig([], flags, env);
    const ok = (r: ReturnType<typeof config>): number => (r.ok ? r.config.workers : -1);
    assert.equal(ok(config({})), 0);
    assert.equal(ok(config({ workers: '4' })), 4);
    assert.equal(ok(config({}, { IVR_WORKERS: '3' })), 3);
    assert.equal(ok(config({ workers: '2' }, { IVR_WORKERS: '3' })), 2);
    const bad = config({ workers: 'many' });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /--workers must be a whole number/);
  });
});
