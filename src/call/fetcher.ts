import type { FetchFailure, FetchRequest, FetchResponse } from '../compile/protocol.js';

/**
 * Performs one HTTP attempt for a `fetch` node. Resolves with the response whatever its status
 * (a non-2xx answer is not an exception); rejects on network failure, or with a `FetchError`
 * naming the failure kind (e.g. `invalid-json`). Must give up when `signal` aborts: the session
 * aborts it at the request's timeout, on its own clock.
 *
 * `httpFetcher` does real HTTP; `ivr test` passes canned answers.
 */
export type Fetcher = (request: FetchRequest, signal: AbortSignal) => Promise<FetchResponse>;

/** A failed attempt whose kind the fetcher knows (a plain Error counts as `network`). */
export class FetchError extends Error {
  constructor(
    readonly kind: FetchFailure,
    message: string,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}
