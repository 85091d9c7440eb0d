/**
 * A log reader that stops reading without closing (a stuck log shipper) makes the server's lines
 * wait in memory. They once waited without bound; now at most the buffer's worth waits, the rest is
 * dropped and counted, and the count is written once the reader reads again; at shutdown the reader
 * is waited for a bounded time. A real FIFO, non-blocking on the writer's side as Node makes
 * stdout's pipe, stands for stdout: its reader stays stuck until the test reads it. The count is on
 * /metrics too (`ivr_log_lines_dropped_total`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { boundedLog } from '../../src/ops/log-destination.js';
import { closeLog, createLogger, droppedLogLines } from '../../src/ops/logger.js';
import { createMetrics } from '../../src/ops/metrics.js';

/**
 * A FIFO whose reader does not read until `read` is called. The writer's end is the log's from then on
 * (it closes it when it ends, or keeps it once given up): `done` closes only the reader's, so no test
 * closes a number a later test's FIFO may reuse while an earlier log still holds it.
 */
function stuckPipe(): { writeEnd: number; closeReader: () => void; read: (onData: (chunk: Buffer) => void) => void; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-log-'));
  const fifo = join(dir, 'stdout');
  execFileSync('mkfifo', [fifo]);
  const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeEnd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  let reader: Socket | undefined;
  let readerClosed = false;
  return {
    writeEnd,
    closeReader: () => {
      readerClosed = true;
      closeSync(readEnd);
    },
    read: (onData) => {
      reader = new Socket({ fd: readEnd, readable: true, writable: false });
      reader.on('data', onData);
    },
    done: () => {
      if (reader) reader.destroy();
      else if (!readerClosed) closeSync(readEnd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('a stuck log reader costs at most the buffer; the lines dropped meanwhile are counted when it reads again', { timeout: 20_000 }, async () => {
  const pipe = stuckPipe();
  const maxBytes = 64 * 1024;
  const log = createLogger({ level: 'info', fd: pipe.writeEnd, bufferBytes: maxBytes });
  try {
    // 8 000 lines of ~270 bytes (2.1 MB), in batches with the event loop turning between them, as a server logs.
    const lines = 8000;
    for (let i = 0; i < lines; i++) {
      log.info({ i, pad: 'x'.repeat(200) }, 'line');
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(droppedLogLines(log) > 0, 'nothing read: lines past the buffer are dropped');

    // The reader reads again: what waited arrives, then how many lines did not.
    const entries: Record<string, unknown>[] = [];
    let partial = '';
    let accounted: () => void = () => {};
    const allAccounted = new Promise<void>((resolve) => (accounted = resolve));
    pipe.read((chunk) => {
      const complete = (partial + chunk.toString()).split('\n');
      partial = complete.pop()!;
      for (const line of complete) entries.push(JSON.parse(line) as Record<string, unknown>);
      if (entries.reduce((n, e) => n + (e.msg === 'line' ? 1 : (e.dropped as number) ?? 0), 0) === lines) accounted();
    });
    // Bounded: a regression that never accounts for every line fails here, and `finally` lets the file end.
    let waited: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([allAccounted.then(() => 'accounted'), new Promise<string>((resolve) => (waited = setTimeout(resolve, 10_000, 'not accounted in 10 s')))]);
    clearTimeout(waited);
    assert.equal(outcome, 'accounted', `${entries.length} lines read`);

    const kept = entries.filter((e) => e.msg === 'line');
    const notices = entries.filter((e) => e.msg === 'log lines dropped');
    // The logger's own line: its level and format. One each time text left the buffer after drops, never one per line.
    assert.ok(notices.length >= 1 && notices.length <= 10, `${notices.length} warnings`);
    for (const n of notices) {
      assert.deepEqual(Object.keys(n), ['level', 'time', 'dropped', 'msg']);
      assert.equal(n.level, 'warn');
      assert.ok((n.dropped as number) > 0);
    }
    // Every line is either written or counted, none twice, in the order logged.
    const dropped = notices.reduce((sum, n) => sum + (n.dropped as number), 0);
    assert.equal(kept.length + dropped, lines);
    const order = kept.map((e) => e.i as number);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.equal(new Set(order).size, order.length);
    // What waited: the buffer plus what the pipe itself holds (64 KiB on Linux, at most 1 MiB), never the 2.1 MB written.
    const keptBytes = kept.reduce((n, e) => n + JSON.stringify(e).length + 1, 0);
    assert.ok(keptBytes <= maxBytes + 1024 * 1024, `${keptBytes} bytes of lines waited`);
    assert.ok(kept.length < lines / 2, `${kept.length} of ${lines} lines kept`);
    // The same count on /metrics, read through the logger as serve's operations read it.
    assert.equal(droppedLogLines(log), dropped);
    assert.match((await createMetrics({ logDropped: () => droppedLogLines(log) }).scrape()).body, new RegExp(`^ivr_log_lines_dropped_total ${dropped}$`, 'm'));
    assert.equal(droppedLogLines(createLogger({ destination: { write: () => {} } })), 0);
    // The reader reads: closing writes everything and says so.
    assert.equal(await closeLog(log), 'written');
  } finally {
    await closeLog(log, 100);
    pipe.done();
  }
});

test('a count whose own line does not fit either stands, and is told again with the drops after it: none lost, none counted twice', { timeout: 20_000 }, async () => {
  const pipe = stuckPipe();
  const maxBytes = 4096;
  const told: number[] = [];
  // The first report writes a line larger than the whole buffer, so it is dropped as the lines were;
  // the reports after it write a line that fits.
  const log = boundedLog(pipe.writeEnd, {
    maxBytes,
    onDropped: (count) => {
      told.push(count);
      log.write(told.length === 1 ? `${JSON.stringify({ dropped: count, pad: 'y'.repeat(2 * maxBytes) })}\n` : `${JSON.stringify({ dropped: count })}\n`);
    },
  });
  try {
    const lines = 2000;
    const write = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i++) {
        log.write(`${JSON.stringify({ i, pad: 'x'.repeat(100) })}\n`);
        if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await write(0, lines / 2);
    assert.ok(log.droppedTotal > 0, 'nothing read: lines past the buffer are dropped');
    const entries: Record<string, unknown>[] = [];
    let partial = '';
    pipe.read((chunk) => {
      const complete = (partial + chunk.toString()).split('\n');
      partial = complete.pop()!;
      for (const line of complete) entries.push(JSON.parse(line) as Record<string, unknown>);
    });
    // Text leaves the buffer: the first report's line is dropped; more lines, more drops, then the reader catches up.
    while (told.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await write(lines / 2, lines);
    const accounted = (): number => entries.reduce((n, e) => n + (typeof e.i === 'number' ? 1 : typeof e.dropped === 'number' ? e.dropped : 0), 0);
    // Bounded: a count that is lost never adds up, and fails below instead of hanging.
    for (const started = Date.now(); accounted() < lines && Date.now() - started < 10_000;) await new Promise((resolve) => setTimeout(resolve, 5));
    const kept = entries.filter((e) => typeof e.i === 'number');
    const notices = entries.filter((e) => typeof e.dropped === 'number');
    assert.ok(told.length >= 2, `told ${told.length} time(s)`);
    assert.equal(notices.some((n) => 'pad' in n), false, 'the first report did not fit and was not written');
    assert.equal(notices.length, told.length - 1);
    // The second report carries the first one's count: the dropped report's count stood.
    assert.ok(told[1]! >= told[0]!, `told ${told.join(', ')}`);
    const dropped = notices.reduce((sum, n) => sum + (n.dropped as number), 0);
    assert.equal(kept.length + dropped, lines, `${kept.length} written + ${dropped} told`);
    // The report line that did not fit is not a dropped line of the server's.
    assert.equal(log.droppedTotal, dropped);
    assert.equal(await log.close(10_000), 'written');
  } finally {
    await log.close(100);
    pipe.done();
  }
});

test('at shutdown a stuck reader is waited for at most the deadline; the count of lines it missed is not lost meanwhile', { timeout: 20_000 }, async () => {
  const pipe = stuckPipe();
  const log = createLogger({ level: 'info', fd: pipe.writeEnd, bufferBytes: 64 * 1024 });
  try {
    for (let i = 0; i < 2000; i++) {
      log.info({ i, pad: 'x'.repeat(200) }, 'line');
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    const dropped = droppedLogLines(log);
    assert.ok(dropped > 0);
    const started = performance.now();
    assert.equal(await closeLog(log, 300), 'stuck', 'the reader never read: the rest is given up');
    assert.ok(performance.now() - started >= 290, 'the reader is given the deadline');
    // A line after close is counted, not written (the stream is ending) and does not throw.
    log.info('late');
    assert.equal(droppedLogLines(log), dropped + 1);
  } finally {
    await closeLog(log);
    pipe.done();
  }
});

test('a reader that goes away while shutdown waits for it ends the wait at once (gone, not stuck)', { timeout: 20_000 }, async () => {
  const pipe = stuckPipe();
  const log = boundedLog(pipe.writeEnd, { maxBytes: 64 * 1024 });
  try {
    for (let i = 0; i < 2000; i++) {
      log.write(`${JSON.stringify({ i, pad: 'x'.repeat(200) })}\n`);
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    const started = performance.now();
    const closing = log.close(10_000);
    setTimeout(() => pipe.closeReader(), 200);
    assert.equal(await closing, 'gone');
    assert.ok(performance.now() - started < 5000, `${Math.round(performance.now() - started)} ms`);
  } finally {
    pipe.done();
  }
});

test('a stdout whose writes fail (/dev/full) is told once, not per line, and close answers the error without waiting out its deadline', { timeout: 20_000 }, async () => {
  const full = openSync('/dev/full', 'w');
  const failed: string[] = [];
  let told: () => void = () => {};
  const firstFailure = new Promise<void>((resolve) => (told = resolve));
  const log = boundedLog(full, {
    onFailed: (code) => {
      failed.push(code);
      told();
    },
  });
  try {
    log.write('{"i":0}\n');
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([firstFailure, new Promise((resolve) => (waited = setTimeout(resolve, 5000)))]);
    clearTimeout(waited);
    // Every further line tries again (SonicBoom retries at the next write) and fails the same way: not told again.
    for (let i = 1; i < 200; i++) {
      log.write(`{"i":${i}}\n`);
      if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(failed, ['ENOSPC']);
    const started = performance.now();
    assert.equal(await log.close(10_000), 'ENOSPC');
    assert.ok(performance.now() - started < 5000, `${Math.round(performance.now() - started)} ms`);
  } finally {
    closeSync(full);
  }
});
