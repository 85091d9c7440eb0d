/**
 * A log reader that stops reading without closing (a stuck log shipper) makes the server's lines
 * wait in memory. They once waited without bound; now at most the buffer's worth waits, the rest is
 * dropped and counted, and the count is written once the reader reads again. A real FIFO stands
 * for stdout's pipe: its reader stays stuck until the test reads it. The count is on /metrics too
 * (`ivr_log_lines_dropped_total`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { boundedLog } from '../../src/ops/log-destination.js';
import { createLogger, droppedLogLines } from '../../src/ops/logger.js';
import { createMetrics } from '../../src/ops/metrics.js';

test('a stuck log reader costs at most the buffer; the lines dropped meanwhile are counted when it reads again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-log-'));
  const fifo = join(dir, 'stdout');
  execFileSync('mkfifo', [fifo]);
  const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeEnd = openSync(fifo, constants.O_WRONLY);
  let reader: Socket | undefined;
  try {
    const maxBytes = 64 * 1024;
    const destination = boundedLog(writeEnd, maxBytes);
    const log = createLogger({ level: 'info', destination });
    // 8 000 lines of ~270 bytes (2.1 MB), in batches with the event loop turning between them, as a server logs.
    const lines = 8000;
    for (let i = 0; i < lines; i++) {
      log.info({ i, pad: 'x'.repeat(200) }, 'line');
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(destination.dropped > 0, 'nothing read: lines past the buffer are dropped');

    // The reader reads again: what waited arrives, then how many lines did not.
    const entries: Record<string, unknown>[] = [];
    let partial = '';
    let accounted: () => void = () => {};
    const allAccounted = new Promise<void>((resolve) => (accounted = resolve));
    reader = new Socket({ fd: readEnd, readable: true, writable: false });
    reader.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const complete = text.split('\n');
      partial = complete.pop()!;
      for (const line of complete) entries.push(JSON.parse(line) as Record<string, unknown>);
      // Until every line logged is here or counted as dropped (a run that never gets there fails by the test's timeout).
      if (entries.reduce((n, e) => n + (e.msg === 'line' ? 1 : (e.dropped as number) ?? 0), 0) === lines) accounted();
    });
    await allAccounted;

    const kept = entries.filter((e) => e.msg === 'line');
    const notices = entries.filter((e) => e.msg === 'log lines dropped');
    // A warning each time text left the buffer after drops (the FIFO took some while the test wrote), never one per line.
    assert.ok(notices.length >= 1 && notices.length <= 10, `${notices.length} warnings`);
    for (const n of notices) {
      assert.equal(n.level, 'warn');
      assert.ok((n.dropped as number) > 0);
    }
    assert.equal(destination.dropped, 0);
    // Every line is either written or counted, none twice, in the order logged.
    const dropped = notices.reduce((sum, n) => sum + (n.dropped as number), 0);
    assert.equal(kept.length + dropped, lines);
    // The same count on /metrics, read through the logger as serve's operations read it.
    assert.equal(droppedLogLines(log), dropped);
    assert.match((await createMetrics({ logDropped: () => droppedLogLines(log) }).scrape()).body, new RegExp(`^ivr_log_lines_dropped_total ${dropped}$`, 'm'));
    assert.equal(droppedLogLines(createLogger({ destination: { write: () => {} } })), 0);
    const order = kept.map((e) => e.i as number);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.equal(new Set(order).size, order.length);
    // What waited: the buffer plus what the pipe itself holds (64 KiB on Linux, at most 1 MiB), never the 2.1 MB written.
    const keptBytes = kept.reduce((n, e) => n + JSON.stringify(e).length + 1, 0);
    assert.ok(keptBytes <= maxBytes + 1024 * 1024, `${keptBytes} bytes of lines waited`);
    assert.ok(kept.length < lines / 2, `${kept.length} of ${lines} lines kept`);
  } finally {
    reader?.destroy();
    closeSync(writeEnd);
    if (reader === undefined) closeSync(readEnd);
    rmSync(dir, { recursive: true, force: true });
  }
});
