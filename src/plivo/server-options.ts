/**
 * Options of the Plivo server: every limit is an option with a documented default, validated and
 * frozen once, at `createServer`, so a bad value fails at start and never mid-call.
 */
import type { IncomingMessage } from 'node:http';
import { silentLog, type CallLog } from '../call/call-log.js';
import type { CallSession, CallSessionOptions, StartInfo, WatchCall } from '../call/call-session.js';
import { realClock, type Clock } from '../call/clock.js';
import type { Fetcher } from '../call/fetcher.js';
import { httpFetcher } from '../call/http-fetcher.js';
import type { RecordingSink } from '../call/recording-sink.js';
import type { Transport } from '../call/transport.js';
import { checkValue, defaultsOf, type OptionValue } from '../options/option-schema.js';
import { SERVE_OPTIONS, SERVER_ONLY_OPTIONS } from '../options/serve-options.js';
import type { ServingFlows } from './serving-flows.js';

/** Answer of the `authorize` hook (see src/plivo/signature.ts). */
export type Authorization = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** A pino-compatible logger (pino's child() included): the server logs through it, tests pass a recorder. */
export interface ServerLog extends CallLog {
  child?(bindings: object): CallLog;
}

export type StartCall = (start: StartInfo, transport: Transport, options: CallSessionOptions) => CallSession;

/** The `createServer` options the option schema declares (src/options/serve-options.ts: meaning, default, bounds). */
type ServerSpec = Extract<(typeof SERVE_OPTIONS)[number] | (typeof SERVER_ONLY_OPTIONS)[number], { server: true }>;
type SchemaOptions = { [S in ServerSpec as S['key']]: OptionValue<S> };
/** Schema options that have a default (all but `publicUrl`: absent means the request's `Host`). */
type DefaultedKey = Exclude<keyof SchemaOptions, 'publicUrl'>;

export interface ServerOptions extends Partial<SchemaOptions> {
  /** The flows serving NEW calls, asked at each call's start (hot reload swaps what it returns). */
  flows: () => ServingFlows;
  /** Where `record` nodes write. Default: none (a record node then fails to its onError). */
  recordings?: RecordingSink;
  /** Allow-listed environment values, visible to expressions as `env.NAME`. */
  env?: Readonly<Record<string, string>>;
  /** Initial values overriding a flow's `vars`, by flow id (tests point fetch URLs at loopback servers). */
  vars?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Called for the WebSocket upgrade and `/answer` before anything else (a POST `/answer` with its
   * form parameters, which Plivo signs too); default: everything allowed.
   */
  authorize?: (req: IncomingMessage, form?: URLSearchParams) => Authorization;
  /** Watchers of every call's event stream (logs, metrics, call records: call/call-events.ts). */
  watchers?: readonly WatchCall[];
  /** Called once per call, after the session started (metrics, records, drain bookkeeping). */
  onCall?: (session: CallSession, start: StartInfo) => void;
  /** Default: silent. */
  log?: ServerLog;
  /** Default: the real clock. */
  clock?: Clock;
  /** How a flow's `fetch` nodes reach backends; default: real HTTP (call/http-fetcher.ts). */
  fetcher?: Fetcher;
  /** The call session factory; default `startCall` of src/call/start-call.ts (tests inject fakes). */
  startCall?: StartCall;
}

/** Options with a default that is not a value of the schema: the edges a call reaches the world through. */
type EdgeKey = 'clock' | 'fetcher' | 'log';

export type ResolvedServerOptions = Readonly<Required<Pick<ServerOptions, DefaultedKey | EdgeKey>> & Omit<ServerOptions, DefaultedKey | EdgeKey>>;

/** The defaults of the edges: what `ivr serve` runs with. */
const EDGE_DEFAULTS: Required<Pick<ServerOptions, EdgeKey>> = { clock: realClock, fetcher: httpFetcher, log: silentLog };

const SERVER_SPECS: readonly ServerSpec[] = [...SERVE_OPTIONS, ...SERVER_ONLY_OPTIONS].filter((spec): spec is ServerSpec => 'server' in spec);

/** Numbers first, then the rest: the order the problems are listed in. */
const CHECK_ORDER = [...SERVER_SPECS].sort((a, b) => Number(!isNumber(a)) - Number(!isNumber(b)));

function isNumber(spec: ServerSpec): boolean {
  return spec.kind === 'int' || spec.kind === 'size' || spec.kind === 'duration';
}

/** The defaults of every option with one (src/options/serve-options.ts). */
export const SERVER_DEFAULTS = defaultsOf(SERVER_SPECS) as Pick<ResolvedServerOptions, DefaultedKey>;

/** Problems with the options, in plain words (bounds from src/options/serve-options.ts); empty when they are usable. */
export function checkServerOptions(o: ServerOptions): string[] {
  const problems: string[] = [];
  const given = new Map(Object.entries(o));
  for (const spec of CHECK_ORDER) {
    const value = given.get(spec.key);
    const problem = value === undefined ? undefined : checkValue(spec, value);
    if (problem !== undefined) problems.push(problem);
  }
  if (typeof o.flows !== 'function') problems.push('flows must be a function returning the flows that serve new calls');
  return problems;
}

/** The `createServer` options among resolved `ivr serve` options (src/cli/serve-options.ts). */
export function serverOptionsOf(config: Partial<SchemaOptions>): Partial<SchemaOptions> {
  const given = new Map(Object.entries(config));
  return Object.fromEntries(SERVER_SPECS.flatMap((spec) => (given.get(spec.key) === undefined ? [] : [[spec.key, given.get(spec.key)]])));
}

/** Defaults applied, checked, frozen. Throws (at start, a programmer/usage error) when invalid. */
export function resolveServerOptions(o: ServerOptions): ResolvedServerOptions {
  const problems = checkServerOptions(o);
  if (problems.length > 0) throw new Error(`invalid server options: ${problems.join('; ')}`);
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.freeze({ ...SERVER_DEFAULTS, ...EDGE_DEFAULTS, ...defined } as ResolvedServerOptions);
}
