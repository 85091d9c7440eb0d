import type { FetchRequest, FetchResponse } from '../compile/protocol.js';
export { FetchError } from '../compile/fetch-failure.js';

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
