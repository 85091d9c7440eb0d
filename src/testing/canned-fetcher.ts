import { FetchError, type Fetcher } from '../call/fetcher.js';
import type { FetchRequest, FetchResponse } from '../compile/protocol.js';
import type { CannedResponse, FetchFailStep } from './test-file.js';

interface PendingFetch {
  /** "METHOD url" as the transcript shows it. */
  key: string;
  settle(result: { response: FetchResponse } | { error: Error }): void;
}

export interface CannedFetcherEvents {
  /** A line for the call's transcript. */
  note(text: string): void;
  /** A request failed (error or non-2xx): coverage counts the onError it leads to. */
  failed(): void;
}

/**
 * One simulated call's HTTP for `ivr test` (flow-tests.md), its `fetch` the call's Fetcher, run
 * by the machine's fetch actor as under `ivr serve` (compile/fetch-actor.ts). A request with a canned answer
 * ("METHOD url") is answered at once; any other stays pending until `fail` (a `fetchFails` step)
 * or until the machine leaves the attempt at its timeout on the simulated clock, aborting it —
 * the same path a real timeout takes.
 */
export class CannedFetcher {
  /** HTTP attempts made so far (a retry is another attempt). */
  attempts = 0;
  private readonly pending: PendingFetch[] = [];

  constructor(
    private readonly answers: Readonly<Record<string, CannedResponse>>,
    private readonly events: CannedFetcherEvents,
  ) {}

  /** Answers by the URL sent (`request.url`: a canned key is the URL as the backend gets it); writes only the `shown` URL. */
  readonly fetch: Fetcher = (request: FetchRequest, signal: AbortSignal, shownUrl: string) => {
    this.attempts++;
    const key = `${request.method.toUpperCase()} ${request.url}`;
    const shown = `${request.method.toUpperCase()} ${shownUrl}`;
    const canned = this.answers[key];
    if (canned) {
      this.events.note(`fetch ${shown} answered ${canned.status}`);
      if (canned.status < 200 || canned.status >= 300) this.events.failed();
      return Promise.resolve({ status: canned.status, headers: canned.headers ?? {}, body: canned.body ?? null });
    }
    this.events.note(`fetch ${shown} pending (no canned answer)`);
    return new Promise<FetchResponse>((resolve, reject) => {
      const entry: PendingFetch = {
        key: shown,
        settle: (result) => {
          const i = this.pending.indexOf(entry);
          if (i >= 0) this.pending.splice(i, 1);
          if ('error' in result || result.response.status >= 300) this.events.failed();
          if ('error' in result) reject(result.error);
          else resolve(result.response);
        },
      };
      this.pending.push(entry);
      signal.addEventListener('abort', () => {
        if (!this.pending.includes(entry)) return;
        this.events.note(`fetch ${shown} timed out`);
        entry.settle({ error: new FetchError('timeout', 'timed out') });
      });
    });
  };

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** The oldest pending request fails this way; false when none was pending. */
  fail(failure: FetchFailStep): boolean {
    const entry = this.pending[0];
    if (!entry) return false;
    this.events.note(`fetch ${entry.key} fails: ${failure}`);
    if (failure === 'timeout') entry.settle({ error: new FetchError('timeout', 'timed out (test)') });
    else if (failure === 'network') entry.settle({ error: new Error('network error (test)') });
    else entry.settle({ response: { status: failure, headers: {}, body: null } });
    return true;
  }
}
