/**
 * Call records survive write failures, on a real full disk: a 256 KiB tmpfs (needs root to mount;
 * skipped otherwise). A write that fails half-way leaves part of its line; the next record must
 * start on a line of its own, every record written before must still read back, the failures must
 * be counted (`ivr_records_write_errors_total`) and `/readyz` must say "degraded" until a write
 * succeeds again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFile, mkdtemp, open, readFile, rm, stat, truncate, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCallRecords, parseCallRecords, type CallRecord } from '../../src/ops/call-records.js';
import { hearPrompts, writeFixture, type Fixture } from '../support/e2e-harness.js';
import { OPS_FLOW, OPS_PROMPTS, opsServe } from './support/ops-harness.js';

function record(callId: string, padding = 0): CallRecord {
  return {
    callId, streamId: `s-${callId}`, flow: 'ops', version: 'v1', format: 'audio/x-mulaw;rate=8000', headers: {},
    startedAt: new Date(0).toISOString(), endedAt: new Date(1000).toISOString(), durationMs: 1000, endReason: 'completed',
    nodes: padding > 0 ? ['n'.repeat(padding)] : ['greet'], inputs: [], fetches: [], recordings: [], prompts: [], timeline: [],
  };
}

/** Mounts a tmpfs of `size` on a new folder; undefined when this process may not mount. */
async function smallDisk(size: string): Promise<{ dir: string; unmount(): Promise<void> } | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'ivr-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    async unmount() {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `file` until the disk is full; returns its size. */
async function fillDisk(file: string): Promise<number> {
  const handle = await open(file, 'w');
  const chunk = Buffer.alloc(4096, 0x41);
  let size = 0;
  try {
    for (;;) size += (await handle.write(chunk)).bytesWritten;
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    await handle.close();
  }
  return size;
}

const disk = await smallDisk('256k');
const skip = disk === undefined ? 'mounting a tmpfs needs root' : false;

describe('call records on a disk that fills up', { skip }, () => {
  after(() => disk?.unmount());

  test('a failed half-written record never glues onto the next; earlier records stay; failures are reported', async () => {
    const file = join(disk!.dir, 'calls.jsonl');
    const filler = join(disk!.dir, 'filler');
    const writer = await openCallRecords(file);
    for (const id of ['ok-1', 'ok-2', 'ok-3']) await writer.append(record(id));
    const full = await fillDisk(filler);
    // One page free: a 20 KB record gets part of its line onto the disk, then ENOSPC.
    await truncate(filler, full - 4096);
    await assert.rejects(writer.append(record('fail-1', 20_000)), /ENOSPC/);
    await assert.rejects(writer.append(record('fail-2', 20_000)), /ENOSPC/);
    assert.equal(writer.health().writeErrors, 2);
    assert.match(writer.health().failing ?? '', /ENOSPC/);

    await unlink(filler);
    await writer.append(record('ok-4'));
    assert.deepEqual(writer.health(), { writeErrors: 2 }, 'a good write clears the failure, the count stays');
    await writer.close();

    const text = await readFile(file, 'utf8');
    const { records, skipped } = parseCallRecords(text);
    assert.deepEqual(records.map((r) => r.callId), ['ok-1', 'ok-2', 'ok-3', 'ok-4'], 'nothing on disk lost, the next record whole');
    assert.ok(skipped >= 1, 'the torn line is there, and skipped');
    for (const line of text.split('\n').filter((l) => l !== '')) {
      assert.ok(line.startsWith('{"callId":"ok-') || line.startsWith('{"callId":"fail-'), `a line of its own: ${line.slice(0, 40)}`);
    }
  });

  describe('ivr serve', () => {
    let fixture: Fixture;
    before(async () => {
      fixture = await writeFixture({ 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
    });
    after(() => fixture.cleanup());

    test('/readyz says degraded and the metric counts while records cannot be written; calls go on; both recover', async () => {
      const file = join(disk!.dir, 'served.jsonl');
      const filler = join(disk!.dir, 'filler-2');
      const s = await opsServe(fixture, { records: file });
      const call = async (callId: string): Promise<string> => {
        const c = await s.call('ops', { callId });
        await hearPrompts(c, 2);
        c.press('3');
        await hearPrompts(c, 1);
        return (await c.closed).reason;
      };
      const ready = async (): Promise<{ status: number; body: Record<string, unknown> }> => {
        const res = await fetch(`${s.base}/readyz`);
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const writeErrors = async (): Promise<number> => Number(/ivr_records_write_errors_total (\d+)/.exec(await (await fetch(`${s.base}/metrics`)).text())?.[1]);
      try {
        assert.equal(await call('before-full'), 'completed');
        await s.ops.records.flush();
        assert.deepEqual((await ready()).body.status, 'ready');

        await fillDisk(filler);
        // The records file's last page still has room: fill it with empty lines (readers skip them).
        const { size } = await stat(file);
        if (size % 4096 !== 0) await appendFile(file, '\n'.repeat(4096 - (size % 4096)));
        assert.equal(await call('while-full'), 'completed', 'the call itself is served as usual');
        await s.ops.records.flush();
        const degraded = await ready();
        assert.equal(degraded.status, 200, 'still taking calls');
        assert.equal(degraded.body.status, 'degraded');
        assert.match(String((degraded.body.records as { lastError?: string })?.lastError), /ENOSPC/);
        assert.equal(await writeErrors(), 1);
        assert.ok(s.logs.some((l) => l.msg === 'could not write a call record'));

        await unlink(filler);
        assert.equal(await call('after-full'), 'completed');
        await s.ops.records.flush();
        assert.equal((await ready()).body.status, 'ready');
        assert.equal(await writeErrors(), 1, 'the count stays');
        const { records } = parseCallRecords(await readFile(file, 'utf8'));
        assert.deepEqual(records.map((r) => r.callId), ['before-full', 'after-full']);
      } finally {
        await s.close();
      }
    });
  });
});
