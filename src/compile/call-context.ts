import type { CallInfo, FetchRequest, MachineInput } from './protocol.js';
import { spokenLanguage } from '../flow/languages.js';
import type { ExprScope } from './expressions.js';
import type { KeyMasking } from './sensitive.js';

/** What the machine saves when it enters a subflow, to restore when the child returns. */
export interface SubflowFrame {
  vars: Record<string, unknown>;
  flow: string;
}

/**
 * Everything one call holds. The machine itself is shared by every call of a flow version, so
 * all per-call state lives here, in the actor's context, and nowhere else.
 */
export interface CallContext {
  /** Variables of the current scope (the running subflow's, inside one). */
  vars: Record<string, unknown>;
  call: CallInfo;
  env: Record<string, string>;
  /** The node the call is in, as every watcher names it: `<node>`, or `<subflow id>/<node>` inside a subflow. */
  node: string;
  /** How keys pressed in this node are shown (sensitive.ts). */
  keys: KeyMasking;
  /** Values typed into sensitive collects during this call, masked wherever the machine shows text (sensitive.ts). */
  secrets: string[];
  /** Failures in this visit of the current menu/collect. */
  noInput: number;
  noMatch: number;
  /** Which prompt the current menu/collect plays next: the first, or a retry after a failure. */
  attempt: 'first' | 'noInput' | 'noMatch';
  /** Keys of the current menu/collect (CEL's `input`). */
  input: string;
  /** Keys pressed while no menu/collect was listening, consumed by the next one. */
  typeahead: string;
  /** What the current node decided (`option:1`, `global:0`, `match:2`, `case:1`, `ok`, `noMatch`), null while undecided. */
  decision: string | null;
  /** A runtime error waiting to be routed to onError. */
  error: string | null;
  /** The playback the node waits for, null when nothing of ours is playing. */
  playing: number | null;
  /** Last playback id handed out: ids are unique and increasing within a call. */
  lastPlaybackId: number;
  /** Number of the call's latest fetch or recording; a recorder's answer with another id is stale. */
  requestId: number;
  /** The fetch in progress: the request the `fetch` actor is invoked with, its URL as shown, when it started. */
  fetch: { request: FetchRequest; shown: string; startedAt: number } | null;
  /** Attempts made at the current fetch (the first, then retries). */
  fetchAttempts: number;
  /** Whether record.stop was sent for the current recording. */
  stopSent: boolean;
  /** How long the current transfer waits for its tones to play. */
  settleMs: number;
  stack: SubflowFrame[];
  /** Set when a collect ended on `max` digits: its terminator, if it is the next key before `until`, is consumed. */
  terminatorGrace: { key: string; until: number; node: string; masked: boolean } | null;
  /** The call's language: it belongs to the call, not to a flow, so subflows share it. */
  language: string;
  /** The languages the call's flow speaks; `set: { language }` must pick one of them. */
  languages: string[];
}

export function emptyContext(): CallContext {
  return {
    vars: {}, call: { callId: '', streamId: '', accountId: '', headers: {} }, env: {},
    node: '', keys: 'none', secrets: [],
    noInput: 0, noMatch: 0, attempt: 'first', input: '', typeahead: '', decision: null, error: null,
    playing: null, lastPlaybackId: 0, requestId: 0, fetch: null, fetchAttempts: 0, stopSent: false, settleMs: 0, stack: [], terminatorGrace: null,
    language: 'en', languages: ['en'],
  };
}

/**
 * A call's first context: the flow's (`initial`, plain data in the machine config: its vars and
 * languages) with what the runtime passed in (`context: ({ input }) => …`, compile-flow.ts).
 * The caller's language comes from `extra_headers` (lang=es) when the flow speaks it, else the flow's default.
 */
export function startContext(initial: CallContext, input: MachineInput): CallContext {
  const language = spokenLanguage(initial.languages, input.call.headers.lang);
  return { ...initial, language, vars: { ...initial.vars, ...(input.vars ?? {}) }, call: input.call, env: input.env ?? {} };
}

/** The call's clock: ms since the epoch. */
export interface CallTime {
  now(): number;
}

const DATE_TIME: CallTime = { now: () => Date.now() };

/**
 * The call's clock: the one its actor was created with (`createActor(machine, { clock })`:
 * SimClock under `ivr test`, the real clock under `ivr serve`), so CEL's `now` and every timestamp
 * follow simulated time in tests. Actions get it as a parameter and read it only when they need
 * the time. An actor whose clock cannot tell the time (XState's default) uses Date.now.
 */
export function timeOf(actor: object): CallTime {
  const clock: unknown = 'clock' in actor ? actor.clock : undefined;
  return isCallTime(clock) ? clock : DATE_TIME;
}

function isCallTime(value: unknown): value is CallTime {
  return typeof value === 'object' && value !== null && 'now' in value && typeof value.now === 'function';
}

/** The names an expression sees: the current scope's variables, the keys, the call, time, env. */
export function scopeOf(context: CallContext, time: CallTime, response?: ExprScope['response']): ExprScope {
  const scope: ExprScope = {
    vars: context.vars, input: context.input, call: context.call, now: new Date(time.now()), env: context.env, language: context.language,
  };
  if (response) scope.response = response;
  return scope;
}
