/**
 * Where the server's JSON lines go when nothing else is given: stdout, written asynchronously
 * (pino's SonicBoom, as pino's own default), with at most `LOG_BUFFER_BYTES` waiting. A log reader
 * that stops reading without closing the pipe (a stuck log shipper, a paused `ivr serve | less`)
 * once made every line wait in memory, without bound, for as long as it stayed stuck; the serving
 * thread never waits for it. Past the bound, lines are dropped and counted; once text leaves the
 * buffer again, a `log lines dropped` warning says how many.
 *
 *   pino(config, boundedLog(process.stdout.fd))
 */
import { pino, type DestinationStream } from 'pino';

/** The most log text waiting for a slow reader: seconds of a busy server's lines, a bounded amount of memory. */
export const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

/** A DestinationStream that drops (and counts) what does not fit in `maxBytes` of waiting text. */
export interface BoundedLog extends DestinationStream {
  /** Lines dropped and not yet reported by a `log lines dropped` warning. */
  readonly dropped: number;
  /** Every line dropped since the start (`ivr_log_lines_dropped_total`). */
  readonly droppedTotal: number;
}

export function boundedLog(fd: number, maxBytes: number = LOG_BUFFER_BYTES): BoundedLog {
  // pino.destination: SonicBoom with pino's handling of a reader gone (EPIPE: writes stop) and its flush at exit.
  const out = pino.destination({ dest: fd, sync: false, maxLength: maxBytes });
  let dropped = 0;
  let droppedTotal = 0;
  let reporting = false;
  // Text left the buffer, so the reader reads again: the count goes out as soon as it fits (not per line: nothing is done per line).
  const report = (): void => {
    reporting = false;
    const count = dropped;
    dropped = 0;
    out.write(`${JSON.stringify({ level: 'warn', time: new Date().toISOString(), dropped: count, msg: 'log lines dropped' })}\n`);
    // Not written either: the count stands (the warning itself not counted), tried again when more text leaves.
    if (dropped > 0) {
      dropped = count;
      droppedTotal--;
    }
  };
  out.on('drop', () => {
    dropped++;
    droppedTotal++;
  });
  out.on('write', () => {
    if (dropped > 0 && !reporting) {
      reporting = true;
      queueMicrotask(report);
    }
  });
  return {
    get dropped() {
      return dropped;
    },
    get droppedTotal() {
      return droppedTotal;
    },
    write(line: string): void {
      out.write(line);
    },
  };
}
