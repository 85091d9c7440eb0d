import type { FetchFailure, FetchRequest, FetchResponse, MachineEvent } from '../compile/protocol.js';
import type { CallTimers } from './call-timers.js';
import { FetchError, type Fetcher } from './fetcher.js';

/** What the summary and logs record about one fetch (never headers or bodies: they hold secrets). */
export interface FetchOutcome {
  outcome: 'ok' | FetchFailure | 'cancelled';
  status?: number;
  attempts: number;
}

type AttemptResult =
  | { response: FetchResponse }
  | { failure: FetchFailure; message: string; status?: number }
  | { cancelled: true };

/**
 * Runs a `fetch` command: up to `1 + retries` attempts, each aborted by a timer on the call's
 * clock at `timeoutMs`. Timeouts, network errors and 5xx answers are retried (at once: the caller
 * is waiting on the line); 4xx and `invalid-json` are not, they would fail again.
 * `call` aborts when the call ends: the attempt in flight is abandoned and no event is made.
 * Resolves with the event for the machine; never rejects.
 */
export async function runFetch(
  requestId: number,
  request: FetchRequest,
  fetcher: Fetcher,
  timers: CallTimers,
  call: AbortSignal,
): Promise<{ event: MachineEvent | undefined; outcome: FetchOutcome }> {
  const attempts = 1 + Math.max(0, Math.floor(request.retries));
  let last: AttemptResult = { failure: 'network', message: 'not attempted' };
  let made = 0;
  while (made < attempts) {
    made++;
    last = await attempt(request, fetcher, timers, call);
    if ('cancelled' in last) return { event: undefined, outcome: { outcome: 'cancelled', attempts: made } };
    if ('response' in last || !retryable(last)) break;
  }
  if ('cancelled' in last) return { event: undefined, outcome: { outcome: 'cancelled', attempts: made } };
  if ('response' in last) {
    return {
      event: { type: 'fetch.done', requestId, response: last.response },
      outcome: { outcome: 'ok', status: last.response.status, attempts: made },
    };
  }
  const event: MachineEvent = { type: 'fetch.failed', requestId, error: last.failure, message: last.message };
  if (last.status !== undefined) event.status = last.status;
  const outcome: FetchOutcome = { outcome: last.failure, attempts: made };
  if (last.status !== undefined) outcome.status = last.status;
  return { event, outcome };
}

function retryable(result: { failure: FetchFailure; status?: number }): boolean {
  if (result.failure === 'timeout' || result.failure === 'network') return true;
  return result.failure === 'status' && result.status !== undefined && result.status >= 500;
}

async function attempt(request: FetchRequest, fetcher: Fetcher, timers: CallTimers, call: AbortSignal): Promise<AttemptResult> {
  if (call.aborted) return { cancelled: true };
  const controller = new AbortController();
  // An abort also settles the race below, so a fetcher that ignores its signal cannot hold the call.
  let settle: (why: 'timeout' | 'cancelled') => void = () => {};
  const aborted = new Promise<'timeout' | 'cancelled'>((resolve) => {
    settle = resolve;
  });
  const timer = timers.start(request.timeoutMs, () => {
    controller.abort(new FetchError('timeout', `no answer within ${request.timeoutMs} ms`));
    settle('timeout');
  });
  const onCallEnd = (): void => {
    controller.abort(new Error('the call ended'));
    settle('cancelled');
  };
  call.addEventListener('abort', onCallEnd, { once: true });
  try {
    const result = await Promise.race([fetcher(request, controller.signal), aborted]);
    if (result === 'cancelled' || call.aborted) return { cancelled: true };
    if (result === 'timeout') return { failure: 'timeout', message: `no answer within ${request.timeoutMs} ms` };
    if (result.status >= 200 && result.status < 300) return { response: result };
    return { failure: 'status', status: result.status, message: `HTTP ${result.status}` };
  } catch (err) {
    if (call.aborted) return { cancelled: true };
    if (controller.signal.aborted) return { failure: 'timeout', message: `no answer within ${request.timeoutMs} ms` };
    if (err instanceof FetchError) return { failure: err.kind, message: err.message };
    return { failure: 'network', message: networkMessage(err) };
  } finally {
    timers.cancel(timer);
    call.removeEventListener('abort', onCallEnd);
  }
}

/** Plain words for a network failure: Node's fetch hides the reason in `cause`. */
function networkMessage(err: unknown): string {
  if (!(err instanceof Error)) return 'network error';
  const cause = (err as Error & { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  return code ? `network error (${code})` : `network error: ${err.message}`;
}
