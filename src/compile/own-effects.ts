/**
 * How the machine is driven, not what it does: the config's timers (`after`) and invoked actors
 * (`invoke`) become what XState makes of them when a state is entered and left, written as the
 * config's own actions. XState keeps each state node's `after` transitions and invoke definitions
 * in a module-wide WeakMap, and both point back at the state node; V8's young-generation
 * collections keep a WeakMap value that reaches its own key alive, so every machine built and let
 * go (the reload worker builds each flow's to check the compiler) lived on until a full
 * collection, copied out of the young generation on the way (README "Performance", the front
 * end). Done in place on the config `createMachine` gets (implementations.ts `drivenConfig`), as
 * fuseSteps is, not on the one `ivr compile` prints.
 *
 * Timers: each `after` of the config (a node's timeout, the inter-digit timer, a fetch attempt's
 * timeout, the record safety timers, a transfer's settle, the call's maximum duration) is started
 * by XState's `raise` (delayed, its event's type its id) at the end of the state's entry actions
 * and cancelled by `cancel` at the end of its exit actions, and its transition waits for the
 * timer's own event under `on`: the builtins XState adds itself for an `after`, made here once per
 * machine. A named delay (`settle`) is read from the context the entry actions leave.
 *
 *   ownEffects({ states: { waiting: { after: { 5000: { target: 'noInput' } } } } })
 *   // waiting: { entry: [raise({ type: 'ivr.timer.5000.waiting' }, { id: 'ivr.timer.5000.waiting', delay: 5000 })],
 *   //            exit: [cancel('ivr.timer.5000.waiting')],
 *   //            on: { 'ivr.timer.5000.waiting': { target: 'noInput' } } }
 *
 * Invoked actors (a fetch attempt's request): spawned after the state's entry actions
 * (`spawnChild`, with the invoke's id, source and input) and stopped after its exit actions
 * (`stopChild`); its answers, `xstate.done.actor.<id>` and `xstate.error.actor.<id>`, are
 * transitions under `on`. 1 200 machines of the three shipped flows with a fetch (Dec 5): XState's
 * `createMachine` alone, each let go, 594–681 ms (201–247 ms of it GC) with `invoke` against
 * 412–418 ms (34 ms) with it removed; checked as the reload worker checks them (`checkMachinesBuild`,
 * configs included), 1 437–1 504 ms before this file wrote invokes, 1 035–1 096 ms after.
 *
 *   ownEffects({ invoke: { id: 'fetch', src: 'fetch', input, onDone, onError } })
 *   // { entry: [spawnChild('fetch', { id: 'fetch', input })], exit: [stopChild('fetch')],
 *   //   on: { 'xstate.done.actor.fetch': onDone, 'xstate.error.actor.fetch': onError } }
 */
import { cancel, raise, spawnChild, stopChild } from 'xstate';
import type { CallContext } from './call-context.js';
import { isConfig, type Config } from './routes.js';

/** Delays named in the config instead of written as milliseconds: read from the call's context when the timer starts. */
const NAMED_DELAYS: Readonly<Record<string, (context: CallContext) => number>> = {
  /** A transfer waits for its tones: 250 ms per tone unless `settle` says otherwise (actions.ts `sendDtmf` sets it). */
  settle: (context) => context.settleMs,
};

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
      entry.push(raise({ type: event } as never, { id: event, delay: delayOf(delay) as never }));
      exit.push(cancel(event));
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

/** A delay of the config: milliseconds, or a name of NAMED_DELAYS, read when the timer starts; any other name is a compiler bug. */
function delayOf(delay: string): number | ((args: { context: CallContext }) => number) {
  const ms = Number(delay);
  if (!Number.isNaN(ms)) return ms;
  const named = Object.hasOwn(NAMED_DELAYS, delay) ? NAMED_DELAYS[delay] : undefined;
  if (named === undefined) throw new Error(`compiler bug: the delay \`${delay}\` is neither milliseconds nor one of ${Object.keys(NAMED_DELAYS).join(', ')}`);
  return ({ context }) => named(context);
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
