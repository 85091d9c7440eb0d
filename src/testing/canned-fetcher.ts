import type { AnyStateMachine } from 'xstate';
import { fetchActorLogic, withFetchActor } from '../call/fetch-actor.js';
import { FetchError, type Fetcher } from '../call/fetcher.js';
import type { FetchRequest, FetchResponse } from '../compile/protocol.js';
import type { CannedResponse, FetchFailStep } from './test-file.js';

/** Each request a simulated call's machine made, with the call's canned answers (`CannedFetcher.claim`). */
const claimed = new WeakMap<FetchRequest, CannedFetcher>();

/**
 * `ivr test`'s `fetch` actor: each attempt is answered by the CannedFetcher of the call whose
 * machine made the request. The machine's `fetch` command carries the very request object its
 * fetch actor is then invoked with, so the simulated call claims it on seeing the command.
 */
export const cannedFetch = fetchActorLogic((request) => claimed.get(request)?.fetch);

/** The flow's machine with `cannedFetch`: provided once per flow version, shared by every case and generated call. */
export const cannedMachine = (machine: AnyStateMachine): AnyStateMachine => withFetchActor(machine, cannedFetch);

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
 * One simulated call's HTTP for `ivr test` (flow-tests.md): a request with a canned answer
 * ("METHOD url") is answered at once; any other stays pending until `fail` (a `fetchFails` step)
 * or until the machine leaves the attempt at its timeout on the simulated clock, aborting it —
 * the same path a real timeout takes.
 */
export class CannedFetcher {
  /** HTTP attempts made so far (a retry is another attempt). */
  attempts = 0;
  private readonly pending: PendingFetch[] = [];
  /** Each claimed request's URL as the transcript may show it (the `fetch` command's masked form). */
  private readonly shown = new WeakMap<FetchRequest, string>();

  constructor(
    private readonly answers: Readonly<Record<string, CannedResponse>>,
    private readonly events: CannedFetcherEvents,
  ) {}

  /** This call's machine made `request` (its `fetch` command, with the URL as shown): this fetcher answers it. */
  claim(request: FetchRequest, shown: string): void {
    claimed.set(request, this);
    this.shown.set(request, shown);
  }

  readonly fetch: Fetcher = (request: FetchRequest, signal: AbortSignal) => {
    this.attempts++;
    const key = `${request.method.toUpperCase()} ${request.url}`;
    const shown = `${request.method.toUpperCase()} ${this.shown.get(request) ?? request.url}`;
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
