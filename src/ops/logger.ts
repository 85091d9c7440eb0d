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
import { boundedLog, type BoundedLog } from './log-destination.js';
import { safeLogValue } from './log-fields.js';
import { prettyDestination } from './pretty-log.js';

type LoggerConfig = PinoOptions<never, boolean>;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel | string;
  /** Where lines go; default stdout, with at most 16 MiB waiting for a slow reader (log-destination.ts). Tests pass a stream that collects them. */
  destination?: DestinationStream;
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
  const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  if (pretty) return safeChildren(pino(config, prettyDestination(options.destination ?? process.stdout)));
  return safeChildren(pino(config, options.destination ?? boundedLog(process.stdout.fd)));
}

/** Lines the logger's stdout destination dropped for a reader that did not keep up (log-destination.ts); 0 for any other destination. */
export function droppedLogLines(log: object): number {
  const stream = (log as Record<symbol, unknown>)[pino.symbols.streamSym] as Partial<BoundedLog> | undefined;
  return stream?.droppedTotal ?? 0;
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

