/**
 * How the machine is driven, not what it does: the config's timers (`after`) and invoked actors
 * (`invoke`) become what XState makes of them when a state is entered and left, written as the
 * config's own actions. XState keeps each state node's `after` transitions and invoke definitions
 * in a module-wide WeakMap, and both point back at the state node; V8's young-generation
 * collections keep a WeakMap's values alive whatever their keys, so every machine built and let go
 * (the reload worker builds each flow's to check the compiler) lived on until a full collection,
 * copied out of the young generation on the way (README "Performance", the front end). Done in place
 * on the config `createMachine` gets (implementations.ts `drivenConfig`), as fuseSteps is, not on
 * the one `ivr compile` prints.
 *
 * Timers: each `after` of the config (a node's timeout, the inter-digit timer, a fetch attempt's
 * timeout, the record safety timers, a transfer's settle, the call's maximum duration) is started
 * by the state's last entry action (`startTimer`, a step action, so fuseSteps runs it in the
 * entry's one action) and cancelled by its last exit action (`cancelTimer`), and its transition
 * waits for the timer's own event under `on`.
 *
 *   ownEffects({ states: { waiting: { after: { 5000: { target: 'noInput' } } } } })
 *   // waiting: { entry: [{ type: 'startTimer', params: { event: 'ivr.timer.5000.waiting', delay: 5000 } }],
 *   //            exit: [{ type: 'cancelTimer', params: { event: 'ivr.timer.5000.waiting' } }],
 *   //            on: { 'ivr.timer.5000.waiting': { target: 'noInput' } } }
 *
 * Invoked actors (a fetch attempt's request): spawned after the state's entry actions
 * (`spawnChild`, with the invoke's id, source and input) and stopped after its exit actions
 * (`stopChild`); its answers, `xstate.done.actor.<id>` and `xstate.error.actor.<id>`, are
 * transitions under `on`. 1 200 machines of the three shipped flows with a fetch took 594–681 ms
 * to build and let go (201–247 ms of it GC) with `invoke`, 412–418 ms (34 ms) without.
 *
 *   ownEffects({ invoke: { id: 'fetch', src: 'fetch', input, onDone, onError } })
 *   // { entry: [spawnChild('fetch', { id: 'fetch', input })], exit: [stopChild('fetch')],
 *   //   on: { 'xstate.done.actor.fetch': onDone, 'xstate.error.actor.fetch': onError } }
 */
import { spawnChild, stopChild } from 'xstate';
import type { CallContext } from './call-context.js';
import { isConfig, type Config } from './routes.js';

/** Delays named in the config instead of written as milliseconds: read from the call's context when the timer starts. */
export const NAMED_DELAYS = {
  /** A transfer waits for its tones: 250 ms per tone unless `settle` says otherwise (actions.ts `sendDtmf` sets it). */
  settle: (context: CallContext): number => context.settleMs,
} as const;

export type TimerDelay = number | keyof typeof NAMED_DELAYS;

/** The event of the timer of `delay` in the state at `path`: one name per timer of the machine. */
export const timerEvent = (path: string, delay: string): string => `ivr.timer.${delay}.${path}`;

/**
 * Replaces every `after` and `invoke` in `state` and its substates (see above), in place; returns
 * `state`. `path`: the state's keys from the root, joined with dots (state keys have none), which
 * names its timers' events.
 */
export function ownEffects(state: Config, path = ''): Config {
  const entry: unknown[] = [];
  const exit: unknown[] = [];
  const on: Config = {};
  const after = state.after;
  if (isConfig(after)) {
    for (const delay of Object.keys(after)) {
      const event = timerEvent(path, delay);
      const ms = Number(delay);
      entry.push({ type: 'startTimer', params: { event, delay: Number.isNaN(ms) ? delay : ms } });
      exit.push({ type: 'cancelTimer', params: { event } });
      on[event] = after[delay];
    }
    delete state.after;
  }
  const invoke = state.invoke;
  if (invoke !== undefined) {
    for (const one of Array.isArray(invoke) ? invoke : [invoke]) {
      const { id, src, input, onDone, onError } = checkedInvoke(one);
      entry.push(spawnChild(src, { id, input: input as never }));
      exit.push(stopChild(id));
      if (onDone !== undefined) on[`xstate.done.actor.${id}`] = onDone;
      if (onError !== undefined) on[`xstate.error.actor.${id}`] = onError;
    }
    delete state.invoke;
  }
  if (entry.length > 0) {
    // New lists and a new table: one may be shared by several states of the config.
    state.entry = [...listOf(state.entry), ...entry];
    state.exit = [...listOf(state.exit), ...exit];
    state.on = { ...(isConfig(state.on) ? state.on : {}), ...on };
  }
  const states = state.states;
  if (isConfig(states)) for (const key of Object.keys(states)) if (isConfig(states[key])) ownEffects(states[key], path === '' ? key : `${path}.${key}`);
  return state;
}

/** What an invoke of the config may say (io-states.ts writes these); anything else is a compiler bug. */
const INVOKE_KEYS: ReadonlySet<string> = new Set(['id', 'src', 'input', 'onDone', 'onError']);

function checkedInvoke(value: unknown): { id: string; src: string; input: unknown; onDone: unknown; onError: unknown } {
  if (!isConfig(value) || typeof value.id !== 'string' || typeof value.src !== 'string' || Object.keys(value).some((key) => !INVOKE_KEYS.has(key))) {
    throw new Error(`compiler bug: an invoke must have a string id and src and nothing but ${[...INVOKE_KEYS].join(', ')}`);
  }
  return { id: value.id, src: value.src, input: value.input, onDone: value.onDone, onError: value.onError };
}

function listOf(value: unknown): readonly unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
