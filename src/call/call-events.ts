/**
 * The call's one stream of what happened, read by every watcher: logs (ops/logger.ts), metrics
 * (ops/metrics.ts), call records (ops/call-records.ts), `ivr test`'s transcript, trace and
 * coverage (testing/simulated-call.ts), `ivr call`, and replay. It is the machine's own emitted
 * commands (compile/protocol.ts: node entered with kind, flow and sensitivity; each key and
 * decision already masked by compile/sensitive.ts; prompts, fetches and their outcomes, tones, log
 * lines) plus what only the session sees: Plivo's frames, frames sent, the end.
 *
 *   startCall(start, transport, { ..., watchers: [(call) => (event, at) => console.log(at, event.type)] });
 */
import type { MediaFormat } from '../audio/types.js';
import type { CallSummary } from './call-summary.js';
import type { CallInfo, Command } from '../compile/protocol.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import type { CallLog } from './call-log.js';

/** What the session adds to the machine's commands. */
export type SessionEvent =
  /** Plivo acknowledged a checkpoint (`playedStream`). */
  | { type: 'played'; name: string }
  /** Plivo could not play queued audio (`playFailed`): the pending prompt counts as finished. */
  | { type: 'playFailed' }
  /** Plivo confirmed a `clearAudio` (`clearedAudio`). */
  | { type: 'cleared' }
  /** The caller hung up (the socket closed before the flow ended the call). */
  | { type: 'hangup' }
  /** A frame went to Plivo (audio, checkpoint, clear, tones). */
  | { type: 'sent' }
  /** The call is over; a watcher's promise (a record being written) delays the session's `done`. */
  | { type: 'ended'; summary: CallSummary };

export type CallEvent = Command | SessionEvent;

const SESSION_EVENTS: ReadonlySet<string> = new Set<SessionEvent['type']>(['played', 'playFailed', 'cleared', 'hangup', 'sent', 'ended']);

/** Whether an event is one of the machine's own commands (not one the session added). */
export function isCommand(event: CallEvent): event is Command {
  return !SESSION_EVENTS.has(event.type);
}

/** One watcher of one call: `at` is milliseconds since the call started. May return a promise on `ended`. */
export type CallListener = (event: CallEvent, at: number) => void | Promise<void>;

/** What a watcher is told when a call starts. */
export interface WatchedCall {
  /** What Plivo's `start` frame said (the session's StartInfo). */
  start: { call: CallInfo; format: MediaFormat };
  flow: CompiledFlow;
  /** The call's log (bound to its callId, flow and version), when it has one. */
  log: CallLog | undefined;
}

/** Makes the listener for one call (undefined: this call is not watched). */
export type WatchCall = (call: WatchedCall) => CallListener | undefined;

/** The one `sent` event: frames are many, so it is not allocated per frame. */
export const SENT: SessionEvent = Object.freeze({ type: 'sent' });
