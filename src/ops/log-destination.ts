/**
 * Where the server's JSON lines go when nothing else is given: stdout, written asynchronously
 * (pino's SonicBoom, as pino's own default), with at most `LOG_BUFFER_BYTES` waiting. A log reader
 * that stops reading without closing the pipe (a stuck log shipper, a paused `ivr serve | less`)
 * once made every line wait in memory, without bound, for as long as it stayed stuck; the serving
 * thread never waits for it. Past the bound, lines are dropped and counted; once text leaves the
 * buffer again, `onDropped` says how many (the logger's own `log lines dropped` warning). At
 * shutdown, `close` waits at most `LOG_CLOSE_MS` for the reader, then gives up what is left: a
 * stuck reader once kept `ivr serve` running after SIGTERM, for as long as it stayed stuck. A write
 * that fails (ENOSPC, EIO) is the log's trouble, not the process's: `onFailed` is told once, the
 * lines wait within the bound and are tried again at the next line (it once ended the process, and
 * then its flush at exit retried forever).
 *
 *   const out = boundedLog(process.stdout.fd, { onDropped: (dropped) => log.warn({ dropped }, 'log lines dropped') });
 */
import { pino, type DestinationStream } from 'pino';

/** The most log text waiting for a slow reader: seconds of a busy server's lines, a bounded amount of memory. */
export const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

/** How long shutdown waits for the reader of stdout to take the lines still waiting. */
export const LOG_CLOSE_MS = 2000;

export interface BoundedLog extends DestinationStream {
  /** Every line dropped since the start (`ivr_log_lines_dropped_total`). */
  readonly droppedTotal: number;
  /**
   * Reports lines still unreported, then waits up to `deadlineMs` for every waiting line to be
   * written; past it, gives up the rest. Nothing is written after it; a second call gets the
   * first's answer: `written`, `stuck` (the deadline passed), `gone` (the reader closed: EPIPE) or
   * the code of the error the last write failed with (`ENOSPC`, `EIO`...).
   */
  close(deadlineMs?: number): Promise<LogEnd>;
}

/** How a log's output ended (`BoundedLog.close`). */
export type LogEnd = 'written' | 'stuck' | 'gone' | string;

export interface BoundedLogOptions {
  maxBytes?: number;
  /** Told how many lines were dropped, once text leaves the buffer again (a line it writes may be dropped too: then it is told again later). */
  onDropped?: (count: number) => void;
  /** Told when writing starts to fail (the error's code), once until a write succeeds again. */
  onFailed?: (code: string) => void;
}

export function boundedLog(fd: number, options: BoundedLogOptions = {}): BoundedLog {
  let abandoned = false;
  let closed = false;
  let closing: Promise<LogEnd> | undefined;
  // How close() ends early: the reader went away, or writing failed while it waited.
  let settle: ((end: LogEnd) => void) | undefined;
  // pino.destination: SonicBoom with pino's handling of a reader gone (EPIPE: writes stop) and its flush at exit.
  // Once abandoned, a full pipe (EAGAIN) is not waited for again.
  const out = pino.destination({ dest: fd, sync: false, maxLength: options.maxBytes ?? LOG_BUFFER_BYTES, retryEAGAIN: () => !abandoned });
  // pino's flush at exit retries a failing write forever (any error but EAGAIN): skipped while writes fail or once given up.
  const flushAtExit = out.flushSync.bind(out);
  out.flushSync = () => {
    if (failing === undefined && !abandoned) flushAtExit();
  };
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
  // A write error is the log's, not the calls' (unheard, it would end the process). EPIPE: the reader
  // went away, pino's own handler stops every write. Any other (ENOSPC, EIO): told once, the lines wait
  // (within the bound) and SonicBoom tries again at the next line, until a write succeeds.
  let gone = false;
  let failing: string | undefined;
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (abandoned) return;
    if (err.code === 'EPIPE') gone = true;
    else {
      if (failing === undefined) options.onFailed?.(err.code ?? 'error');
      failing = err.code ?? 'error';
    }
    if (closed) settle?.(gone ? 'gone' : failing!);
  });
  out.on('drop', () => {
    dropped++;
    droppedTotal++;
  });
  out.on('write', () => {
    failing = undefined;
    if (dropped > 0 && !reporting) {
      reporting = true;
      queueMicrotask(report);
    }
  });
  return {
    get droppedTotal() {
      return droppedTotal;
    },
    write(line: string): void {
      // After close the stream is ending: a late line is counted, not written (SonicBoom throws once it closed).
      if (closed) droppedTotal++;
      else out.write(line);
    },
    close(deadlineMs = LOG_CLOSE_MS): Promise<LogEnd> {
      closing ??= new Promise((resolve) => {
        report();
        closed = true;
        if (gone) {
          resolve('gone');
          return;
        }
        const giveUp = (end: LogEnd): void => {
          // Nothing more is waited for: a full pipe fails instead of being retried (unheard), and the flush at exit does nothing.
          clearTimeout(timer);
          settle = undefined;
          abandoned = true;
          resolve(end);
        };
        const timer = setTimeout(() => giveUp(failing ?? 'stuck'), deadlineMs);
        settle = giveUp;
        out.once('close', () => {
          clearTimeout(timer);
          settle = undefined;
          resolve('written');
        });
        out.end();
      });
      return closing;
    },
  };
}
