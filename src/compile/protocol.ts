/**
 * The contract between a compiled flow machine and whatever runs it (`ivr serve`'s call session,
 * `ivr test`, unit tests). The machine does no I/O: it receives `MachineEvent`s and emits
 * `Command`s (XState `emit`), which the runtime carries out and answers with events. The one
 * exception is HTTP: a fetch node invokes the `fetch` actor (fetch-actor.ts), which runs the
 * `Fetcher` the runtime registers for each call (`useFetcher`).
 */

import type { CallInfo } from '../flow/call-info.js';
export type { CallInfo } from '../flow/call-info.js';

/**
 * What the runtime passes when it creates a call's actor (`createActor(machine, { input, clock })`):
 * data only. Time is the actor's clock.
 */
export interface MachineInput {
  call: CallInfo;
  /** Initial values overriding the flow's `vars` (tests). */
  vars?: Record<string, unknown>;
  /** Values of allow-listed environment variables, visible to expressions as `env.NAME`. */
  env?: Record<string, string>;
}

import type { NodeKind } from '../flow/types.js';

/**
 * One piece of audio to play: a prompt of a flow (resolved by the prompt store, in `language`
 * when the flow has it), silence, or text to synthesize now (`{ say }`).
 */
export type PlayItem =
  /** `secret`: spoken from a `digits`/`number` expression that reads a variable holding a sensitive value (compile/sensitive.ts; call/shown-play.ts shows it as `#`). */
  | { prompt: string; flow: string; language?: string | undefined; secret?: true }
  | { silenceMs: number }
  /** `shown`: the text with the call's secrets masked, when it holds one (what `ivr test` prints). */
  | { say: string; flow: string; language?: string | undefined; shown?: string };

export type FetchFailure = 'timeout' | 'network' | 'status' | 'invalid-json';

export interface FetchRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  retries: number;
}

/** What the `fetch` actor is invoked with: the request `startFetch` rendered, and its URL as output may show it (compile/sensitive.ts). */
export interface FetchAttemptInput {
  request: FetchRequest;
  shown: string;
}

export interface FetchResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

// ---- events into the machine ----
export type MachineEvent =
  /**
   * A key, `at` ms since the epoch on the call's clock: a terminator right after a collect
   * filled `max` belongs to that collect only within its inter-digit timeout.
   */
  | { type: 'dtmf'; digit: string; at: number }
  /** The playback with this id has been heard (checkpoint acknowledged, or its fallback timer passed). */
  | { type: 'playback.finished'; playbackId: number }
  /** A `{ say }` of this playback could not be synthesized within `sayTimeout` (→ onError). */
  | { type: 'say.failed'; playbackId: number; message: string }
  | { type: 'record.done'; requestId: number; path: string; durationMs: number; reason: 'terminator' | 'silence' | 'max-duration' | 'hangup' }
  | { type: 'record.failed'; requestId: number; message: string }
  /** The caller hung up; the machine stops at once (final state), emitting nothing more but `ended`. */
  | { type: 'hangup' };

// ---- commands out of the machine ----
/**
 * What the machine emits: the commands of one of its action lists, in order. One XState `emit`
 * per list, not per command: each emit is an action XState resolves, defers and runs, and a key
 * press makes five commands (test/bench/frame-path.ts).
 */
export interface Commands {
  type: 'commands';
  commands: Command[];
}

export type Command =
  /**
   * Entered a node. `node` is how every watcher names it (`<node>`, or `<subflow id>/<node>`
   * inside a subflow); `name` is its name in its own flow `flow`.
   */
  | { type: 'node'; node: string; name: string; flow: string; kind: NodeKind; sensitive: boolean }
  /**
   * The machine received a key: `key` as it may be shown (`*` when it may be heading into a
   * sensitive collect: sensitive.ts); `acted` when the node responded to it (took it, or
   * stopped its prompt), false for keys ignored or only kept as typeahead.
   */
  | { type: 'key'; key: string; node: string; sensitive: boolean; acted: boolean }
  /** Queue these items, then a checkpoint for `playbackId`; answer with `playback.finished`. */
  | { type: 'play'; playbackId: number; items: PlayItem[]; bargeIn: boolean; sayTimeoutMs?: number }
  /** Drop all queued audio (`clearAudio`); pending playbacks will never be acknowledged. */
  | { type: 'clear' }
  /** `shown`: the tones as logs and records may show them (secrets masked). */
  | { type: 'sendDtmf'; digits: string; shown: string }
  /**
   * A fetch node starts its request (`requestId` numbers the call's fetches and recordings, for
   * logs). `shown`: the URL as logs and records may show it (env values and secrets masked).
   * The machine itself runs it: an invoked `fetch` actor (fetch-actor.ts), stopped when the
   * node is left.
   */
  | { type: 'fetch'; requestId: number; request: FetchRequest; shown: string }
  /** That fetch's outcome after `attempts` attempts, `ms` after the `fetch` command; `url` as `shown`. */
  | { type: 'fetched'; requestId: number; method: string; url: string; outcome: 'ok' | FetchFailure; status?: number; ms: number; attempts: number }
  /**
   * Start capturing inbound audio now, with its silence and maxDuration timers (sent once the
   * beep has played: the beep is a `play` of its own); answer with `record.done`/`record.failed`.
   */
  | { type: 'record.start'; requestId: number; maxDurationMs: number; silenceTimeoutMs: number }
  | { type: 'record.stop'; requestId: number }
  /**
   * A menu/collect decided: `value` the keys (`***` when the collect is sensitive), `edge` the
   * way out it took (`option:<key>`, `global:<key>`, `match:<i>`, `ok`, `noInput`, `noMatch`).
   */
  | { type: 'input'; node: string; value: string; sensitive: boolean; outcome: 'match' | 'noMatch' | 'noInput'; edge: string }
  /** Something worth a log line: keys ignored without barge-in, runtime errors routed to onError, ... */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; node: string }
  /** Close the stream (WebSocket close 1000, `reason` as close reason). Always the last command. */
  | { type: 'end'; reason: string };

export type CommandType = Command['type'];

/**
 * Performs one HTTP attempt for a `fetch` node. `shown` is the URL as output may show it (a
 * sensitive collect's value and `env` values masked: compile/sensitive.ts), for a fetcher that
 * writes what it does (`ivr test`'s transcript); `request.url` is what to send. Resolves with the response whatever its status
 * (a non-2xx answer is not an exception); rejects on network failure, or with a `FetchError`
 * naming the failure kind (e.g. `invalid-json`). Must give up when `signal` aborts: XState aborts
 * it when the fetch state is left (its timeout on the call's clock, or the end of the call).
 *
 * `httpFetcher` does real HTTP; `ivr test` passes canned answers.
 */
export type Fetcher = (request: FetchRequest, signal: AbortSignal, shown: string) => Promise<FetchResponse>;
