import type { Clock } from '../call/clock.js';
import { FetchError, type Fetcher } from '../call/fetcher.js';
import type { FetchRecord } from '../call/call-session.js';

/**
 * Answers a replayed call's fetches as the recorded ones ended, in order: every attempt fails the
 * way the recorded fetch failed (retries included), after the recorded time spread over the
 * attempts. A fetch beyond the recorded ones, or one recorded as cancelled or timed out, never
 * answers (the session's own timeout ends it). Answered fetches are not replayable at all
 * (replayable.ts). `current()` is the index of the fetch command being run (retries share it).
 */
export function replayFetcher(recorded: readonly FetchRecord[], clock: Clock, current: () => number): Fetcher {
  return (request, signal) => {
    const record = recorded[current()];
    return new Promise((resolve, reject) => {
      const abort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', abort, { once: true });
      if (!record || record.outcome === 'timeout' || record.outcome === 'cancelled' || record.outcome === 'ok') return;
      const after = Math.max(0, Math.floor(record.ms / (1 + Math.max(0, request.retries))));
      clock.setTimeout(() => {
        signal.removeEventListener('abort', abort);
        if (record.outcome === 'status') resolve({ status: record.status ?? 500, headers: {}, body: null });
        else if (record.outcome === 'invalid-json') reject(new FetchError('invalid-json', 'recorded: invalid JSON'));
        else reject(new Error('recorded: network error'));
      }, after);
    });
  };
}
