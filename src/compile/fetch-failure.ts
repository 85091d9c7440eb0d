/**
 * Why a fetch attempt failed, and whether another attempt may help. The `fetch` actor rejects
 * with a FetchError (fetch-actor.ts); the machine retries a `timeout`, a `network` failure
 * and a 5xx `status` at once (the caller is waiting on the line), up to the node's `retries`, and
 * routes the last failure to onError. A 4xx or `invalid-json` would fail again: not retried.
 */
import type { FetchFailure } from './protocol.js';

export class FetchError extends Error {
  constructor(
    readonly kind: FetchFailure,
    message: string,
    /** The HTTP status of a `status` failure. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface FailedAttempt {
  kind: FetchFailure;
  status?: number;
  message: string;
}

/** What a rejection of the fetch actor means (anything but a FetchError counts as `network`). */
export function failedAttempt(error: unknown): FailedAttempt {
  if (error instanceof FetchError) return error.status === undefined ? { kind: error.kind, message: error.message } : { kind: error.kind, status: error.status, message: error.message };
  return { kind: 'network', message: error instanceof Error ? error.message : String(error) };
}

export const timedOut = (timeoutMs: number): FailedAttempt => ({ kind: 'timeout', message: `no answer within ${timeoutMs} ms` });

export function retryable(failure: FailedAttempt): boolean {
  if (failure.kind === 'timeout' || failure.kind === 'network') return true;
  return failure.kind === 'status' && failure.status !== undefined && failure.status >= 500;
}
