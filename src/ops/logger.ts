/**
 * The server's log: pino, one JSON object per line (`jq`-friendly and safe: every string is cut and
 * its control characters escaped (log-fields.ts), so no one can forge a log line or write
 * megabytes through one). On a terminal
 * the same events print as short human lines instead (src/ops/pretty-log.ts).
 *
 *   const log = createLogger({ level: 'info' });
 *
 * A call logs through a child of it (bound to callId, flow, version): its lines are made from
 * the call's event stream by src/call/log-call.ts, already masked where the machine made them.
 */
import { pino, type Logger, type LoggerOptions as PinoOptions, type DestinationStream } from 'pino';
import { LOG_BUFFER_BYTES, boundedLog, type BoundedLog, type LogEnd } from './log-destination.js';
import { safeLogValue } from './log-fields.js';
import { prettyDestination } from './pretty-log.js';

type LoggerConfig = PinoOptions<never, boolean>;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel | string;
  /** Where lines go; default stdout, with at most `LOG_BUFFER_BYTES` waiting for a slow reader (log-destination.ts). Tests pass a stream that collects them. */
  destination?: DestinationStream;
  /** Without `destination`: the file descriptor written instead of stdout's, and how much may wait for its reader (default `LOG_BUFFER_BYTES`). */
  fd?: number;
  bufferBytes?: number;
  /** Human lines instead of JSON; default: when writing to stdout and stdout is a terminal. */
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const config: LoggerConfig = {
    level: options.level ?? 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    hooks: {
      // Every line's fields and message, whoever logs them, within log-fields.ts's bounds.
      logMethod(args, method) {
        const safe = args.map((a) => safeLogValue(a)) as Parameters<typeof method>;
        method.apply(this, safe);
      },
    },
  };
  const pretty = options.pretty ?? (options.destination === undefined && options.fd === undefined && process.stdout.isTTY === true);
  if (pretty) return safeChildren(pino(config, prettyDestination(options.destination ?? process.stdout)));
  // Dropped lines are told by a line of this logger (called once lines were dropped, so after it exists): its format, its level (not at `--log-level error`).
  const destination = options.destination ?? boundedLog(options.fd ?? process.stdout.fd, {
    ...(options.bufferBytes !== undefined ? { maxBytes: options.bufferBytes } : {}),
    onDropped: (dropped) => logger.warn({ dropped }, 'log lines dropped'),
    // Said where an operator still sees it: stdout is what fails.
    onFailed: (code) => void process.stderr.write(`ivr: writing log lines to stdout failed (${code}); they wait, up to ${LOG_BUFFER_BYTES / 1048576} MiB, and are written when it works again\n`),
  });
  const logger = safeChildren(pino(config, destination));
  return logger;
}

/** The bounded stdout destination of a logger made by `createLogger`, if that is where it writes. */
function boundedOf(log: object): BoundedLog | undefined {
  const stream = (log as Record<symbol, unknown>)[pino.symbols.streamSym] as Partial<BoundedLog> | undefined;
  return typeof stream?.close === 'function' ? (stream as BoundedLog) : undefined;
}

/** Lines the logger's stdout destination dropped for a reader that did not keep up (log-destination.ts); 0 for any other destination. */
export function droppedLogLines(log: object): number {
  return boundedOf(log)?.droppedTotal ?? 0;
}

/**
 * The logger's last lines written, at shutdown: waits for the reader of stdout at most
 * `LOG_CLOSE_MS`, then gives up what is left (log-destination.ts). `written` also for any other
 * destination, which is not ours to close.
 */
export async function closeLog(log: object, deadlineMs?: number): Promise<LogEnd> {
  return (await boundedOf(log)?.close(deadlineMs)) ?? 'written';
}

/**
 * A child's bound fields (`callId`, `flow`) within log-fields.ts's bounds too. pino applies its
 * `formatters.bindings` to the root only, so `child` itself is wrapped; children are made with
 * `Object.create(parent)`, so theirs (and grandchildren's) inherit the wrapper.
 */
function safeChildren(logger: Logger): Logger {
  type Child = (this: Logger, bindings: object, options?: object) => Logger;
  const child = logger.child as unknown as Child;
  const safeChild: Child = function (bindings, options) {
    return child.call(this, safeLogValue(bindings) as object, options);
  };
  logger.child = safeChild as unknown as Logger['child'];
  return logger;
}

