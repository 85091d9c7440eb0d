/**
 * The server's log: pino, one JSON object per line (`jq`-friendly and safe: every string is cut and
 * its control characters escaped (log-fields.ts), so no one can forge a log line or write
 * megabytes through one). On a terminal
 * the same events print as short human lines instead (src/ops/pretty-log.ts).
 *
 *   const log = createLogger({ level: 'info' });
 *   startCall = tapStartCall(startCall, [callEventLog]);
 *
 * The call session already logs start, node entered, input (masked when sensitive), fetch and
 * end through its child logger (bound to callId, flow, version); `callEventLog` adds the events
 * only the edges see: each key, each prompt, clear, transfer tones.
 */
import { pino, type Logger, type LoggerOptions as PinoOptions, type DestinationStream } from 'pino';
import type { PlayItem } from '../compile/protocol.js';
import type { CallWatcher, TappedCall } from './call-tap.js';
import { safeLogValue } from './log-fields.js';
import { prettyDestination } from './pretty-log.js';

type LoggerConfig = PinoOptions<never, boolean>;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel | string;
  /** Where lines go; default stdout. Tests pass a stream that collects them. */
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
  return safeChildren(options.destination ? pino(config, options.destination) : pino(config));
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

/** System prompts that speak a value (digits, numbers): a value read back may be caller data. */
const SPOKEN_VALUE = /^(digit-\d|number-\d+|hundred|thousand|million|minus|point)$/;

/**
 * Prompt names for logs and records: names the author chose are kept, spoken values become `#`
 * (one per run), silence becomes `silence`.
 */
export function describePlay(items: readonly PlayItem[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    // A `say`'s text is a value of the call (an appointment, a name): logged as `say`, never its words.
    const name = 'prompt' in item ? (SPOKEN_VALUE.test(item.prompt) ? '#' : item.prompt) : 'say' in item ? 'say' : 'silence';
    if (name === '#' && out.at(-1) === '#') continue;
    out.push(name);
  }
  return out;
}

/** Logs a call's key presses (masked in sensitive collects), prompts, clears and transfers. */
export function callEventLog(call: TappedCall): CallWatcher | undefined {
  const log = call.options.log;
  if (!log) return undefined;
  return {
    inbound(event) {
      const { node } = call.node();
      if (event.event === 'dtmf') log.info({ node, key: event.digit, ...(event.sensitive ? { sensitive: true } : {}) }, 'key');
      else if (event.event === 'clearedAudio') log.info({ node }, 'audio cleared');
    },
    command(cmd) {
      const { node } = call.node();
      if (cmd.type === 'play') log.info({ node, prompt: describePlay(cmd.items), bargeIn: cmd.bargeIn }, 'prompt');
      else if (cmd.type === 'clear') log.info({ node }, 'clear');
      // The tones may carry digits rendered from variables: count them, never print them.
      else if (cmd.type === 'sendDtmf') log.info({ node, tones: cmd.digits.length }, 'transfer');
    },
  };
}
