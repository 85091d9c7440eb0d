/**
 * The `fetch` actor that compiled machines invoke for a fetch node (compile/io-states.ts), bound
 * with `machine.provide()` once per flow version (never per call: providing rebuilds the
 * machine, several ms for a large flow). Under `ivr serve`, `ivr call`, `ivr replay` and `ivr test`
 * it runs the call's own Fetcher (`httpFetcher`, recorded answers), found through the call's actor
 * system, registered by the session before its actor starts; `ivr test`'s is its canned
 * answers (testing/canned-fetcher.ts).
 *
 * One actor is one HTTP attempt: XState aborts its `signal` when the attempt's state is left (the
 * answer, the timeout on the call's clock, a retry, the end of the call), and ignores whatever
 * the fetcher does after that. Retries and timeouts are the machine's.
 */
import { fromPromise, type AnyStateMachine } from 'xstate';
import { FetchError } from '../compile/fetch-failure.js';
import type { FetchAttemptInput, FetchResponse } from '../compile/protocol.js';
import type { Fetcher } from './fetcher.js';

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

const provided = new WeakMap<AnyStateMachine, AnyStateMachine>();

/**
 * The flow's machine with the fetch actor, provided once per machine (flow version) and shared
 * by every call that runs it: `provide()` rebuilds the machine, several ms for a large flow.
 */
export function withFetchActor(machine: AnyStateMachine): AnyStateMachine {
  let bound = provided.get(machine);
  if (bound === undefined) {
    bound = machine.provide({ actors: { fetch: fetchActor } });
    provided.set(machine, bound);
  }
  return bound;
}

/** Plain words for a network failure: Node's fetch hides the reason in `cause`. */
function networkMessage(err: unknown): string {
  if (!(err instanceof Error)) return 'network error';
  const cause: unknown = err.cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
  return code ? `network error (${code})` : `network error: ${err.message}`;
}
