/**
 * Binds the compiled parts of one flow version to XState: `setup({ types, actions, guards, delays })`.
 * The machine config (see node-states.ts) names these with JSON params; the implementations close
 * over the flow's compiled parts, never over a call: per-call state is the actor's context.
 */
import { enqueueActions, fromPromise, setup } from 'xstate';
import { FetchError, failedAttempt, retryable } from './fetch-failure.js';
import { makeActions, type AnyEvent, type Step } from './actions.js';
import { emptyContext, timeOf, type CallContext, type CallTime } from './call-context.js';
import { Parts } from './parts.js';
import { STEPS_ACTION, type StepRef } from './fuse-steps.js';
import type { Command, FetchRequest, FetchResponse, MachineEvent, MachineInput } from './protocol.js';

type Params = Record<string, unknown> | undefined;
type StepFn = (context: CallContext, event: AnyEvent, params: never, time: CallTime) => Step;

function bind(fn: StepFn) {
  return enqueueActions(({ context, event, enqueue, self }, params: Params) => {
    const step = fn(context as CallContext, event as AnyEvent, params as never, timeOf(self));
    const patch = step.assign;
    // The function form: one closure instead of XState walking the patch's keys.
    // A patch that changes nothing is not assigned: each assign clones XState's whole snapshot.
    if (patch && changes(context as CallContext, patch)) enqueue.assign((() => patch) as never);
    for (const command of step.emit ?? []) enqueue.emit(command as never);
  });
}

/**
 * A list of step actions as one (fuse-steps.ts): each step sees the context the ones before it
 * left, as separate actions would; XState gets one assign (the patches merged) and the commands in order.
 */
function bindSteps(table: Record<string, StepFn>) {
  return enqueueActions(({ context, event, enqueue, self }, params: { steps: StepRef[] }) => {
    const time = timeOf(self);
    let current = context as CallContext;
    let patch: Partial<CallContext> | undefined;
    let emit: Command[] | undefined;
    for (const ref of params.steps) {
      const step = table[ref.type]!(current, event as AnyEvent, ref.params as never, time);
      if (step.assign) {
        patch = patch === undefined ? step.assign : { ...patch, ...step.assign };
        current = { ...current, ...step.assign };
      }
      if (step.emit) emit = emit === undefined ? step.emit : [...emit, ...step.emit];
    }
    const merged = patch;
    if (merged && changes(context as CallContext, merged)) enqueue.assign((() => merged) as never);
    for (const command of emit ?? []) enqueue.emit(command as never);
  });
}

function changes(context: CallContext, patch: Partial<CallContext>): boolean {
  for (const key in patch) if (patch[key as keyof CallContext] !== context[key as keyof CallContext]) return true;
  return false;
}

/** The names of the step actions: the actions `fuseSteps` may run as one. */
export const STEP_NAMES: ReadonlySet<string> = new Set(Object.keys(makeActions(new Parts())));

export const guards = {
  /** A playback.finished for the prompt we wait for (stale ids are ignored). */
  isCurrentPlayback: ({ context, event }: { context: CallContext; event: MachineEvent }) =>
    event.type === 'playback.finished' && event.playbackId === context.playing,
  nothingPlaying: ({ context }: { context: CallContext }) => context.playing === null,
  failed: ({ context }: { context: CallContext }) => context.error !== null,
  decided: ({ context }: { context: CallContext }, params: { is: string }) => context.decision === params.is,
  hasTypeahead: ({ context }: { context: CallContext }) => context.typeahead !== '',
  /** An answer to the recording in progress (stale request ids are ignored). */
  isCurrentRequest: ({ context, event }: { context: CallContext; event: MachineEvent }) =>
    'requestId' in event && event.requestId === context.requestId,
  /** The fetch attempt that just failed (or timed out) may be tried again (fetch-failure.ts). */
  mayRetry: ({ context, event }: { context: CallContext; event: AnyEvent }, params: { retries: number }) =>
    context.fetchAttempts <= params.retries && (event.type !== 'xstate.error.actor.fetch' || retryable(failedAttempt(event.error))),
  reachedMax: ({ context }: { context: CallContext }, params: { counter: 'noInput' | 'noMatch'; max: number }) =>
    context[params.counter] >= params.max,
  /** The terminator, pressed right after a collect ended on `max` digits, within its inter-digit timeout (the key's `at`). */
  terminatorAfterMax: ({ context, event }: { context: CallContext; event: MachineEvent }) =>
    event.type === 'dtmf' && context.terminatorGrace !== null && event.digit === context.terminatorGrace.key && event.at < context.terminatorGrace.until,
  isKey: ({ event }: { event: MachineEvent }, params: { keys: string }) =>
    event.type === 'dtmf' && params.keys !== '' && params.keys.includes(event.digit),
};

/** The `fetch` actor a machine has until the runtime provides one: `{ input: request, signal }` in, the response out. */
export const unprovidedFetch = fromPromise<FetchResponse, FetchRequest | null>(() =>
  Promise.reject(new FetchError('network', 'no fetch actor: the runtime provides one with machine.provide()')));

export function machineSetup(parts: Parts) {
  const steps = makeActions(parts);
  const actions: Record<string, unknown> = Object.fromEntries(Object.entries(steps).map(([name, fn]) => [name, bind(fn as StepFn)]));
  actions[STEPS_ACTION] = bindSteps(steps as unknown as Record<string, StepFn>);
  return setup({
    types: {
      context: {} as CallContext,
      events: {} as MachineEvent,
      input: {} as MachineInput,
      emitted: {} as Command,
    },
    // The config is generated data, typed at its own boundary (node-states.ts), not through setup's inference.
    actions: actions as Record<string, never>,
    guards,
    // The runtime provides the real one (call/fetch-actor.ts); unprovided, every fetch fails to onError.
    actors: { fetch: unprovidedFetch },
    delays: {
      /** A transfer waits for its tones: 250 ms per tone unless `settle` says otherwise. */
      settle: ({ context }: { context: CallContext }) => context.settleMs,
    },
  });
}

export { emptyContext };
