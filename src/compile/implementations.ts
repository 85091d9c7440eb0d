/**
 * Binds the compiled parts of one flow version to XState: `setup({ types, actions, guards,
 * actors })`, typed: context `CallContext`, events the protocol's and the fetch actor's, input
 * `MachineInput`, emitted `Commands` (the commands of one action list). The machine config (see node-states.ts) names these with JSON
 * params; the implementations close over the flow's compiled parts, never over a call: per-call
 * state is the actor's context, and the call's time its clock.
 */
import { enqueueActions, setup, type ActionFunction } from 'xstate';
import { failedAttempt, retryable } from './fetch-failure.js';
import { makeActions, type AnyEvent, type Step } from './actions.js';
import { makeKeyDecisions, type KeyDecisions } from './key-decisions.js';
import { timeOf, type CallContext, type CallTime } from './call-context.js';
import { Parts } from './parts.js';
import { STEPS_ACTION, fuseSteps, isStepRef } from './fuse-steps.js';
import { ownEffects } from './own-effects.js';
import type { Config } from './routes.js';
import { fetchActor } from './fetch-actor.js';
import type { Command, Commands, MachineInput } from './protocol.js';

/** An action's params, as the config data gives them. */
type Params = Record<string, unknown> | undefined;
/**
 * A step action of actions.ts. Declared as a method so that its params compare bivariantly: each
 * action takes its own params type, which the config (generated data, test/compile/config.test.ts)
 * gives it, and the table of all of them is still one type.
 */
type StepFn = { step(context: CallContext, event: AnyEvent, params: Params, time: CallTime): Step }['step'];
/**
 * A step action bound to XState: it sees the machine's context and events and emits commands; it
 * names no other action, guard, delay or actor (`never`), so it fits any slot of setup's `actions`.
 */
type BoundAction = ActionFunction<CallContext, AnyEvent, AnyEvent, Params, never, never, never, never, Commands>;

function bind(fn: StepFn): BoundAction {
  return enqueueActions<CallContext, AnyEvent, Params, AnyEvent, never, never, never, never, Commands>(({ context, event, enqueue, self }, params) => {
    const step = fn(context, event, params, timeOf(self));
    handOver(enqueue, context, step.assign, step.emit);
  });
}

/**
 * What a bound action hands XState: one assign of the patch (the function form: one closure
 * instead of XState walking the patch's keys), unless it changes nothing (each assign clones
 * XState's whole snapshot), and the commands as one `Commands` batch.
 */
function handOver(
  enqueue: { assign(fn: () => Partial<CallContext>): void; emit(event: Commands): void },
  context: CallContext,
  patch: Partial<CallContext> | undefined,
  commands: Command[] | undefined,
): void {
  if (patch && changes(context, patch)) enqueue.assign(() => patch);
  if (commands !== undefined && commands.length > 0) enqueue.emit({ type: 'commands', commands });
}

/**
 * A list of step actions as one (fuse-steps.ts): each step sees the context the ones before it
 * left, as separate actions would; XState gets one assign (the patches merged) and the commands in order.
 */
function bindSteps(table: Readonly<Record<string, StepFn>>): BoundAction {
  return enqueueActions<CallContext, AnyEvent, Params, AnyEvent, never, never, never, never, Commands>(({ context, event, enqueue, self }, params) => {
    const refs = params?.steps;
    if (!Array.isArray(refs)) return;
    const time = timeOf(self);
    // `current` and `patch` are this action's own copies, made at the first assign and added to
    // after it: a step never keeps the context it was given, and its patch is copied, not changed.
    let current = context;
    let patch: Partial<CallContext> | undefined;
    let emit: Command[] | undefined;
    for (const ref of refs) {
      const fn = isStepRef(ref) ? table[ref.type] : undefined;
      if (fn === undefined) throw new Error(`compiler bug: ${JSON.stringify(ref)} is no step action`);
      const step = fn(current, event, ref.params, time);
      if (step.assign) {
        if (patch === undefined) {
          patch = { ...step.assign };
          current = { ...context, ...step.assign };
        } else {
          Object.assign(patch, step.assign);
          Object.assign(current, step.assign);
        }
      }
      if (step.emit) {
        if (emit === undefined) emit = [...step.emit];
        else emit.push(...step.emit);
      }
    }
    handOver(enqueue, context, patch, emit);
  });
}

function changes(context: CallContext, patch: Partial<CallContext>): boolean {
  for (const key in patch) if (patch[key as keyof CallContext] !== context[key as keyof CallContext]) return true;
  return false;
}

/** The names of the step actions: the actions `fuseSteps` may run as one. */
export const STEP_NAMES: ReadonlySet<string> = new Set(Object.keys(makeActions(new Parts())));

/**
 * The config `createMachine` gets, made in place from flowMachineConfig's: how the machine is
 * driven, not what it does. Its timers and invoked actors are started and stopped by the actions
 * XState would add for them, written into the config (own-effects.ts), then each list of step
 * actions runs as one (fuse-steps.ts).
 */
export function drivenConfig(config: Config): Config {
  return fuseSteps(ownEffects(config), STEP_NAMES);
}

const guards = {
  /** A playback.finished for the prompt we wait for (stale ids are ignored). */
  isCurrentPlayback: ({ context, event }: { context: CallContext; event: AnyEvent }) =>
    event.type === 'playback.finished' && event.playbackId === context.playing,
  nothingPlaying: ({ context }: { context: CallContext }) => context.playing === null,
  failed: ({ context }: { context: CallContext }) => context.error !== null,
  decided: ({ context }: { context: CallContext }, params: { is: string }) => context.decision === params.is,
  hasTypeahead: ({ context }: { context: CallContext }) => context.typeahead !== '',
  /** An answer to the recording in progress (stale request ids are ignored). */
  isCurrentRequest: ({ context, event }: { context: CallContext; event: AnyEvent }) =>
    'requestId' in event && event.requestId === context.requestId,
  /** The fetch attempt that just failed (or timed out) may be tried again (fetch-failure.ts). */
  mayRetry: ({ context, event }: { context: CallContext; event: AnyEvent }, params: { retries: number }) =>
    context.fetchAttempts <= params.retries && (event.type !== 'xstate.error.actor.fetch' || retryable(failedAttempt(event.error))),
  reachedMax: ({ context }: { context: CallContext }, params: { counter: 'noInput' | 'noMatch'; max: number }) =>
    context[params.counter] >= params.max,
  /** The terminator, pressed right after a collect ended on `max` digits, within its inter-digit timeout (the key's `at`). */
  terminatorAfterMax: ({ context, event }: { context: CallContext; event: AnyEvent }) =>
    event.type === 'dtmf' && context.terminatorGrace !== null && event.digit === context.terminatorGrace.key && event.at < context.terminatorGrace.until,
  isKey: ({ event }: { event: AnyEvent }, params: { keys: string }) =>
    event.type === 'dtmf' && params.keys !== '' && params.keys.includes(event.digit),
};

/**
 * Whether the key being handled makes the decision `is` of the menu/collect `rules`
 * (key-decisions.ts `decisionOnKey`, which keeps its last answer for the next decision that asks
 * and for `addKey` taking the key).
 */
function keyDecides(keys: KeyDecisions) {
  return ({ context, event }: { context: CallContext; event: AnyEvent }, params: { rules: string; is: string }): boolean =>
    event.type === 'dtmf' && keys.decisionOnKey(context, event.digit, params.rules) === params.is;
}

/** Every guard the config may name, `keyDecides` reading the flow's compiled menus and collects. */
export function makeGuards(parts: Parts, keys: KeyDecisions = makeKeyDecisions(parts)) {
  return { ...guards, keyDecides: keyDecides(keys) };
}

/**
 * Every step action of actions.ts, bound, plus `steps` (a fused list of them). The table's values
 * each narrow their own params (actions.ts `Action<P>`); the config gives each the params it was
 * written with.
 */
function boundActions(parts: Parts, keys: KeyDecisions): Record<string, BoundAction> {
  const table: Readonly<Record<string, StepFn>> = makeActions(parts, keys);
  const actions: Record<string, BoundAction> = {};
  for (const [name, fn] of Object.entries(table)) actions[name] = bind(fn);
  actions[STEPS_ACTION] = bindSteps(table);
  return actions;
}

/** A flow version's setup: its actions and guards over its compiled parts, sharing one set of key decisions. */
export function machineSetup(parts: Parts) {
  const keys = makeKeyDecisions(parts);
  return setup({
    types: {
      context: {} as CallContext,
      // The protocol's events, and the fetch actor's done/error events that its actions read.
      events: {} as AnyEvent,
      input: {} as MachineInput,
      emitted: {} as Commands,
    },
    actions: boundActions(parts, keys),
    guards: makeGuards(parts, keys),
    // It runs the Fetcher the runtime registers for the call (fetch-actor.ts `useFetcher`); with none, every fetch fails to onError.
    actors: { fetch: fetchActor },
  });
}

/** What `createMachine` of a flow's setup takes: config data whose names are the setup's. */
export type FlowMachineConfig = Parameters<ReturnType<typeof machineSetup>['createMachine']>[0];

