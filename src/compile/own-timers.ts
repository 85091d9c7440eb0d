/**
 * How the machine is driven, not what it does: each `after` of the config (a node's timeout, the
 * inter-digit timer, a fetch attempt's timeout, the record safety timers, a transfer's settle, the
 * call's maximum duration) becomes what XState makes of it, in the config's own names: the state's
 * entry ends by starting the timer (`startTimer`, a step action, so fuseSteps runs it in the
 * entry's one action), its exit ends by cancelling it (`cancelTimer`), and the transition waits
 * for the timer's event under `on`. XState does the same inside the machine it builds, but keeps
 * its `after` transitions in a module-wide WeakMap, whose values V8's young-generation
 * collections keep alive whatever their keys: every machine built and let go (the reload worker
 * builds each flow's to check the compiler) lived on until a full collection, and was copied
 * out of the young generation on the way (README "Performance", the front end). Done in place on
 * the config `createMachine` gets, as fuseSteps is, not on the one `ivr compile` prints.
 *
 *   ownTimers({ states: { waiting: { after: { 5000: { target: 'noInput' } } } } })
 *   // waiting: { entry: [{ type: 'startTimer', params: { event: 'ivr.timer.5000.waiting', delay: 5000 } }],
 *   //            exit: [{ type: 'cancelTimer', params: { event: 'ivr.timer.5000.waiting' } }],
 *   //            on: { 'ivr.timer.5000.waiting': { target: 'noInput' } } }
 */
import type { CallContext } from './call-context.js';
import type { Config } from './routes.js';

/** Delays named in the config instead of written as milliseconds: read from the call's context when the timer starts. */
export const NAMED_DELAYS = {
  /** A transfer waits for its tones: 250 ms per tone unless `settle` says otherwise (actions.ts `sendDtmf` sets it). */
  settle: (context: CallContext): number => context.settleMs,
} as const;

export type TimerDelay = number | keyof typeof NAMED_DELAYS;

/** The event of the timer of `delay` in the state at `path`: one name per timer of the machine. */
export const timerEvent = (path: string, delay: string): string => `ivr.timer.${delay}.${path}`;

/** Replaces every `after` in `state` and its substates (see above), in place; returns `state`. */
export function ownTimers(state: Config, path = ''): Config {
  const after = state.after;
  if (isObject(after)) {
    const entry = listOf(state.entry);
    const exit = listOf(state.exit);
    // Copies: a list or an `on` table may be shared by several states of the config.
    const on: Config = isObject(state.on) ? { ...state.on } : {};
    for (const delay of Object.keys(after)) {
      const event = timerEvent(path, delay);
      const ms = Number(delay);
      entry.push({ type: 'startTimer', params: { event, delay: Number.isNaN(ms) ? delay : ms } });
      exit.push({ type: 'cancelTimer', params: { event } });
      on[event] = after[delay];
    }
    state.entry = entry;
    state.exit = exit;
    state.on = on;
    delete state.after;
  }
  const states = state.states;
  if (isObject(states)) for (const key of Object.keys(states)) if (isObject(states[key])) ownTimers(states[key], path === '' ? key : `${path}.${key}`);
  return state;
}

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}

function isObject(value: unknown): value is Config {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
