/**
 * Where the server's JSON lines go when nothing else is given: stdout, written asynchronously
 * (pino's SonicBoom, as pino's own default), with at most `LOG_BUFFER_BYTES` waiting. A log reader
 * that stops reading without closing the pipe (a stuck log shipper, a paused `ivr serve | less`)
 * once made every line wait in memory, without bound, for as long as it stayed stuck; the serving
 * thread never waits for it. Past the bound, lines are dropped and counted; once text leaves the
 * buffer again, `onDropped` says how many (the logger's own `log lines dropped` warning). At
 * shutdown, `close` waits at most `LOG_CLOSE_MS` for the reader, then gives up what is left: a
 * stuck reader once kept `ivr serve` running after SIGTERM, for as long as it stayed stuck.
 *
 *   const out = boundedLog(process.stdout.fd, { onDropped: (dropped) => log.warn({ dropped }, 'log lines dropped') });
 */
import { pino, type DestinationStream } from 'pino';

/** The most log text waiting for a slow reader: seconds of a busy server's lines, a bounded amount of memory. */
export const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

/** How long shutdown waits for the reader of stdout to take the lines still waiting. */
export const LOG_CLOSE_MS = 2000;

export interface BoundedLog extends DestinationStream {
  /** Lines dropped and not yet reported through `onDropped`. */
  readonly dropped: number;
  /** Every line dropped since the start (`ivr_log_lines_dropped_total`). */
  readonly droppedTotal: number;
  /**
   * Reports lines still unreported, then waits up to `deadlineMs` for every waiting line to be
   * written; past it, gives up the rest. Nothing is written after it; a second call gets the
   * first's answer: `written`, `stuck` (the deadline passed), `gone` (the reader closed: EPIPE) or
   * the code of the error that stopped writing (`ENOSPC`, `EIO`...).
   */
  close(deadlineMs?: number): Promise<LogEnd>;
}

/** How a log's output ended (`BoundedLog.close`). */
export type LogEnd = 'written' | 'stuck' | 'gone' | string;

export interface BoundedLogOptions {
  maxBytes?: number;
  /** Told how many lines were dropped, once text leaves the buffer again (a line it writes may be dropped too: then it is told again later). */
  onDropped?: (count: number) => void;
}

export function boundedLog(fd: number, options: BoundedLogOptions = {}): BoundedLog {
  let abandoned = false;
  let closed = false;
  let closing: Promise<LogEnd> | undefined;
  // pino.destination: SonicBoom with pino's handling of a reader gone (EPIPE: writes stop) and its flush at exit.
  // Once abandoned, a full pipe (EAGAIN) is not waited for again.
  const out = pino.destination({ dest: fd, sync: false, maxLength: options.maxBytes ?? LOG_BUFFER_BYTES, retryEAGAIN: () => !abandoned });
  let dropped = 0;
  let droppedTotal = 0;
  let reporting = false;
  // Text left the buffer, so the reader reads again: the count goes out as soon as it fits (not per line: nothing is done per line).
  const report = (): void => {
    reporting = false;
    if (dropped === 0 || abandoned) return;
    const count = dropped;
    const before = droppedTotal;
    dropped = 0;
    options.onDropped?.(count);
    // Its line did not fit either: the count stands (that line not counted), told again when more text leaves.
    if (droppedTotal > before) {
      dropped = count;
      droppedTotal = before;
    }
  };
  // The reader went away (EPIPE: pino's own handler then stops every write) or writing failed for good
  // (ENOSPC, EIO): the log's end, not the calls' (unheard, the error would end the process). Nothing more
  // is written, and pino's flush at exit, which retries any other error forever, does nothing.
  let ended: LogEnd | undefined;
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (abandoned || ended !== undefined) return;
    ended = err.code === 'EPIPE' ? 'gone' : err.code ?? 'error';
    out.flushSync = () => {};
  });
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
      // After close the stream is ending, after a failure nothing goes out: the line is counted, not written.
      if (closed || (ended !== undefined && ended !== 'gone')) droppedTotal++;
      else out.write(line);
    },
    close(deadlineMs = LOG_CLOSE_MS): Promise<LogEnd> {
      closing ??= new Promise((resolve) => {
        report();
        closed = true;
        if (ended !== undefined) {
          resolve(ended);
          return;
        }
        const timer = setTimeout(() => {
          // The reader is stuck: the next full-pipe write fails instead of being retried (an error
          // nobody needs to hear), and pino's flush at exit, which would retry it forever, does nothing.
          abandoned = true;
          out.flushSync = () => {};
          resolve('stuck');
        }, deadlineMs);
        out.once('close', () => {
          clearTimeout(timer);
          resolve(ended ?? 'written');
        });
        out.end();
      });
      return closing;
    },
  };
}
