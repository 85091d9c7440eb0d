/**
 * The `fetch` actor that compiled machines invoke for a fetch node (io-states.ts), in every
 * machine's setup (implementations.ts). It does no I/O of its own: it runs the Fetcher the
 * runtime registered for the call (`useFetcher`, found through the call's actor system, before
 * its actor starts): `httpFetcher` or recorded answers under `ivr serve`, `ivr call` and
 * `ivr replay`, canned answers under `ivr test` (testing/canned-fetcher.ts). A call with none
 * registered fails each fetch as a network failure (to onError). Being the setup's own, it needs
 * no `machine.provide()`, which would build the whole machine a second time at a flow's first call.
 *
 * One actor is one HTTP attempt: XState aborts its `signal` when the attempt's state is left (the
 * answer, the timeout on the call's clock, a retry, the end of the call), and ignores whatever
 * the fetcher does after that. Retries and timeouts are the machine's.
 */
import { fromPromise } from 'xstate';
import { FetchError } from './fetch-failure.js';
import type { FetchAttemptInput, FetchResponse, Fetcher } from './protocol.js';

/** Each running call's Fetcher, by its actor system (the system lives exactly as long as the call's actors). */
const fetchers = new WeakMap<object, Fetcher>();

/** Makes `fetcher` the one the fetch nodes of the actor with this system use. Call before `actor.start()`. */
export function useFetcher(system: object, fetcher: Fetcher): void {
  fetchers.set(system, fetcher);
}

/**
 * The `fetch` actor: one attempt with the call's own Fetcher (`useFetcher`), found through the
 * call's actor system. A 2xx answer is the output; anything else rejects with a FetchError
 * naming the failure.
 */
export const fetchActor = fromPromise<FetchResponse, FetchAttemptInput | null>(async ({ input, signal, system }) => {
  const fetcher = fetchers.get(system);
  if (input === null || fetcher === undefined) throw new FetchError('network', 'no fetcher for this call');
  let response: FetchResponse;
  try {
    response = await fetcher(input.request, signal, input.shown);
  } catch (err) {
    throw err instanceof FetchError ? err : new FetchError('network', networkMessage(err));
  }
  if (response.status >= 200 && response.status < 300) return response;
  throw new FetchError('status', `HTTP ${response.status}`, response.status);
});

/** Plain words for a network failure: Node's fetch hides the reason in `cause`. */
function networkMessage(err: unknown): string {
  if (!(err instanceof Error)) return 'network error';
  const cause: unknown = err.cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
  return code ? `network error (${code})` : `network error: ${err.message}`;
}
