import type { CallSession, CallSessionOptions, StartInfo } from './call-session.js';
import { LiveCall } from './live-call.js';
import type { Transport } from './transport.js';

/**
 * Starts a call's actor and returns the session that feeds it Plivo's frames.
 *
 * @example
 *   const session = startCall({ call, format }, { send: (t) => ws.send(t), close: (c, r) => ws.close(c, r) },
 *     { flow, prompts, clock: realClock, fetcher: httpFetcher, recordings: fileRecordingSink(dir) });
 *   ws.on('close', () => session.hangup());
 *   const summary = await session.done;
 */
export function startCall(start: StartInfo, transport: Transport, options: CallSessionOptions): CallSession {
  return new LiveCall(start, transport, options);
}

