/**
 * A reader of ivr's output that goes away (`ivr validate flows/ | head`, a log shipper that stops)
 * makes the next write fail with EPIPE. Unhandled, that error ended the process: `ivr validate`
 * with a stack trace, `ivr serve` with every call in it (cli/command.ts processIo now drops output
 * nobody reads). A reader that stays but stops reading kept `ivr serve` running after SIGTERM, for
 * as long as it stayed stuck (ops/log-destination.ts now gives it LOG_CLOSE_MS).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { once } from 'node:events';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { LOG_CLOSE_MS } from '../../src/ops/log-destination.js';
import { loadServingFlows } from '../../src/plivo/serving-flows.js';
import { PlivoClient, promptIndex } from '../support/plivo-client.js';

test('ivr validate whose stdout is closed before it writes: its exit code, and nothing on stderr', async () => {
  const child = spawn(process.execPath, ['bin/ivr.js', 'validate', 'test/fixtures/broken'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(stderr, '');
  assert.equal(code, 1); // the broken fixtures have errors
});

/** A port free on loopback now (the server is closed at once; the child binds it next). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

test('ivr serve whose stdout is closed before it says where it listens: it serves calls, and stops cleanly', async () => {
  // Before, the "listening on" line's EPIPE ended the process: a log reader gone at start took the server down.
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/ivr.js', 'serve', 'flows/', '--port', String(port), '--host', '127.0.0.1', '--no-reload', '--log-level', 'debug'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PLIVO_AUTH_TOKEN: '' } });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let ended = false;
  const exited = (once(child, 'exit') as Promise<[number | null, string | null]>).finally(() => (ended = true));
  try {
    // Up when /healthz answers; a process that died fails at once with what it printed, one stuck in 20 s.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (ended) assert.fail(`ivr serve exited before it listened:\n${stderr}`);
      if (Date.now() > deadline) assert.fail(`ivr serve did not answer /healthz in 20 s:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const serving = (await loadServingFlows(['flows/'])).value!;
    const format = 'audio/x-mulaw;rate=8000';
    const prompts = promptIndex(serving.prompts, [...serving.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), format);
    // The call logs its start, its key and its end (debug): those writes fail too.
    const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/support`, format, prompts });
    assert.ok((await c.nextPrompt()).length > 0);
    c.press('9');
    assert.ok((await c.nextPrompt()).length > 0);
    c.ws.close();
    await c.closed;
  } finally {
    child.kill('SIGTERM');
    // A server stuck instead of draining is killed, so a failing run ends (the assertion below still fails).
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  }
  assert.deepEqual(await exited, [0, null]);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
  // A reader gone is not one that is stuck: nothing is waited for, nothing said.
  assert.doesNotMatch(stderr, /took no log lines/);
});

test('ivr serve whose stdout reader is stuck stops on SIGTERM, after waiting for it a bounded time', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/ivr.js', 'serve', 'flows/', '--port', String(port), '--host', '127.0.0.1', '--no-reload', '--records', '/dev/null', '--drain-timeout', '1s'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PLIVO_AUTH_TOKEN: '' } });
  // The reader stays and never reads: past this stream's buffer and the pipe's, the server's writes find the pipe full.
  child.stdout.pause();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  // A request with a bad Host is refused with a warn line naming its path: ~1.1 KB of log each.
  const refused = (): Promise<number> => new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/answer/${'p'.repeat(1000)}`, headers: { host: 'x:99999' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
  try {
    const deadline = Date.now() + 20_000;
    while ((await refused()) !== 400) {
      if (Date.now() > deadline) assert.fail(`ivr serve did not answer in 20 s:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // 1 500 lines (1.6 MB): more than the pipe (a socket pair here, ~200 KB; hosts with larger socket buffers hold more) and the parent's buffer.
    for (let i = 0; i < 1500; i++) assert.equal(await refused(), 400);
    child.kill('SIGTERM');
    // Before, it was still running here, every time: its log kept retrying the full pipe, and so did its flush at exit.
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(r, 15_000, false).unref())]);
    assert.ok(stopped, `ivr serve still running 15 s after SIGTERM with its stdout reader stuck:\n${stderr}`);
  } finally {
    child.kill('SIGKILL');
    child.stdout.destroy();
  }
  assert.deepEqual(await exited, [0, null]);
  assert.match(stderr, new RegExp(`the reader of stdout took no log lines for ${LOG_CLOSE_MS / 1000} s at shutdown`));
  assert.doesNotMatch(stderr, /Error|EAGAIN/);
});

test('ivr serve whose stdout fails for good (a full disk: /dev/full) serves, stops on SIGTERM, and says so', { timeout: 60_000 }, async () => {
  // Before, the write error ended the process, and its flush at exit retried the failing write forever: alive, serving nothing.
  const port = await freePort();
  const full = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, ['bin/ivr.js', 'serve', 'flows/', '--port', String(port), '--host', '127.0.0.1', '--no-reload', '--records', '/dev/null', '--drain-timeout', '1s'], { stdio: ['ignore', full, 'pipe'], env: { ...process.env, PLIVO_AUTH_TOKEN: '' } });
  closeSync(full);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (Date.now() > deadline) assert.fail(`ivr serve did not answer /healthz in 20 s:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(r, 15_000, false).unref())]);
    assert.ok(stopped, `ivr serve still running 15 s after SIGTERM with stdout failing:\n${stderr}`);
  } finally {
    child.kill('SIGKILL');
  }
  assert.deepEqual(await exited, [0, null]);
  assert.match(stderr, /writing log lines to stdout failed \(ENOSPC\)/);
  assert.doesNotMatch(stderr, /Error:| {4}at /);
});
