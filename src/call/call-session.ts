/**
 * One call: the flow's actor, the commands it emits turned into Plivo frames and I/O, and the
 * frames Plivo sends turned into machine events. The same session runs under `ivr serve`
 * (a WebSocket transport, the real clock), `ivr test` (a recording transport, SimClock) and
 * unit tests: everything with an effect is injected. A fetch node's HTTP is the machine's own
 * invoked `fetch` actor (compile/fetch-actor.ts, stopped with its state),
 * running the call's `fetcher` (under `ivr test`, canned answers). This file is the
 * public API; the work is in live-call.ts.
 */
import type { MediaFormat, PromptStore } from '../audio/types.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import type { CallInfo } from '../compile/protocol.js';
import type { WatchCall } from './call-events.js';
import type { CallLog } from './call-log.js';
import type { CallSummary } from './call-summary.js';
import type { Clock } from './clock.js';
import type { Fetcher } from './fetcher.js';
import type { RecordingSink } from './recording-sink.js';

export type { CallEvent, CallListener, SessionEvent, WatchCall, WatchedCall } from './call-events.js';
export type { CallLog } from './call-log.js';
export type { CallSummary, FetchRecord, InputRecord } from './call-summary.js';
export { SUMMARY_LIST_LIMIT } from './call-summary.js';
export type { Fetcher } from './fetcher.js';
export { FetchError } from './fetcher.js';
export type { RecordingSink } from './recording-sink.js';

/** What Plivo's `start` frame says about the call (parsed by src/plivo). */
export interface StartInfo {
  call: CallInfo;
  format: MediaFormat;
}

export interface CallSessionOptions {
  flow: CompiledFlow;
  prompts: PromptStore;
  clock: Clock;
  /** What the flow's fetch nodes run (compile/fetch-actor.ts): HTTP, recorded answers, `ivr test`'s canned ones. */
  fetcher: Fetcher;
  /** Where `record` nodes write; without one, every recording fails (`record.failed`). */
  recordings?: RecordingSink;
  /** Allow-listed environment values (`env.NAME` in expressions); masked wherever a URL is logged. */
  env?: Record<string, string>;
  /** Initial values overriding the flow's `vars`. */
  vars?: Record<string, unknown>;
  /** Default 2000: a playback with no `playedStream` within its duration plus this counts as heard (logged). */
  playbackGraceMs?: number;
  /** Default 500: RMS (16-bit scale) above which recorded audio counts as speech, restarting the silence timer. */
  silenceThreshold?: number;
  /**
   * Watchers of the call's event stream (call-events.ts): metrics, call records, `ivr test`.
   * The call's own log lines are one more watcher, always there when `log` is given.
   */
  watchers?: readonly WatchCall[];
  log?: CallLog;
}

export interface CallSession {
  readonly callId: string;
  readonly flowId: string;
  readonly version: string;
  /**
   * `open` only while a `record` node captures audio: the Plivo layer skips media payloads
   * entirely otherwise. A plain field the session keeps current, read on every media frame (50 a
   * second per call): one object away, where a getter chain would cost cache misses on each
   * object it passes, about 1 µs a frame with hundreds of calls (test/bench/frame-path.ts).
   */
  readonly mediaGate: { readonly open: boolean };
  /** A `dtmf` frame's digit (`0-9*#A-D`; anything else is logged and ignored). */
  dtmf(digit: string): void;
  /** A `playedStream` (or `played`) frame's checkpoint name. */
  played(checkpointName: string): void;
  /** A `clearedAudio` frame. */
  cleared(): void;
  /**
   * A `playFailed` frame: Plivo could not play queued audio, so the pending prompt counts as
   * finished (the one whose checkpoint is `checkpointName`, else the oldest). Optional for fakes.
   */
  playFailed?(checkpointName?: string): void;
  /** A `media` frame's payload, decoded from base64 by the caller. */
  media(payload: Buffer): void;
  /** The caller hung up / the socket closed: stop the actor and every timer. */
  hangup(): void;
  /** Server-side end (shutdown, limits): close the stream with this reason. */
  stop(reason: string): void;
  /** The node the call is in (the last `node` command: `<subflow id>/<node>` inside a subflow). */
  readonly node: string;
  /** The machine's current variables (a copy). */
  vars(): Record<string, unknown>;
  /** The call's language now: `call.headers.lang` when the flow speaks it, then each `set: { language }`. Optional for fakes. */
  language?(): string;
  /** The values the call's sensitive collects stored (compile/sensitive.ts, bounded): for `ivr test` to mask an author's text. Optional for fakes. */
  secrets?(): readonly string[];
  /** Resolves once, when the call is over (and any recording is on disk). */
  readonly done: Promise<CallSummary>;
}
