/**
 * The compiler: a flow (with the subflows it calls, inlined) becomes one XState v5 machine whose
 * config is plain JSON data (`ivr compile` prints it) and whose actions, guards, delays and the
 * `fetch` actor are bound through `setup()` (implementations.ts; compile-flow.ts binds the one
 * thing data cannot say, the fetch actor's input). The machine does no I/O itself: input
 * `MachineInput`, events `MachineEvent`, commands out with `emit`, one `Commands` batch per action list (protocol.ts), HTTP through the
 * `fetch` actor, which runs the Fetcher the runtime gives each call. Timers are `after` transitions
 * in the config (the built machine starts and cancels them as XState would: own-effects.ts), driven by the clock given to
 * `createActor` (SimClock in tests); that clock is also the call's time (`now` in CEL), handed to
 * the actions that read it (call-context.ts `timeOf`), and a key carries its own `at`. A call's context
 * starts as `context: ({ input }) => …` (the flow's vars and languages, the call, env: data only,
 * no functions in context).
 *
 * Where flow-language.md is silent, the machine decides (and the authors' guide should say):
 * - Typeahead: a menu/collect entered with typeahead does not play its prompt at all; the keys
 *   count as if just typed (decided at once if they decide, else the inter-digit timeout runs).
 *   A barge-in `play` node is skipped while there is typeahead (the caller is past it).
 * - Too many failures with no `then` and no flow `onFailure`: the call ends with reason `failed`.
 * - A retry plays the handler's prompt followed by `reprompt` (else `prompt`) as one playback.
 * - Menus with a `match` list and no `maxDigits` collect until the terminator or the inter-digit
 *   timeout (the default "longest option key" would cut extensions off).
 * - Keys during `fetch`, `transfer`, `record` (other than its terminator) and `end` are ignored
 *   and logged; the fetch wait prompt plays at once and is cleared when the fetch ends.
 * - A runtime error with no `onError` (node's, then flow's) ends the call with reason `error`;
 *   an `end` whose prompt fails still ends with its own reason. `return` at top level = `end`.
 * - A `record` node plays its prompt, then the beep as a playback of its own, and only then
 *   emits `record.start`: the capture and its timers begin once the caller has heard the beep.
 * - A fetch is an invoked `fetch` actor (XState `invoke` + `fromPromise`), one per attempt, with
 *   the attempt's timeout as its state's `after` delay; leaving the state stops the actor and
 *   aborts its request. Retries (timeouts, network errors, 5xx) re-enter the attempt state. The
 *   actor runs the Fetcher the runtime registers for the call (fetch-actor.ts `useFetcher`).
 * - Record safety timer: maxDuration+2 s (then record.stop, and 5 s more for record.done), so a
 *   lost recorder answer never leaves a call hanging.
 *
 * The machine is the single source of call semantics for every watcher (call/call-events.ts):
 * its commands name each node as watchers must (`<subflow id>/<node>` inside a subflow) with its
 * kind and sensitivity, each key it received (masked, and whether it acted on it), each decision
 * with the edge it took. Where a key is masked: sensitive.ts, applied as each command is made.
 */
import type { AnyStateMachine } from 'xstate';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { FlowSet } from '../flow/loaded-flow.js';
import { compileFlow } from './compile-flow.js';
import type { CompiledFlow } from './compiled-flow.js';

export { compileFlow, flowMachineConfig } from './compile-flow.js';
export type { CompiledFlow } from './compiled-flow.js';
export { sayNumber, sayDigits } from './say-number.js';

/**
 * Builds now the machine of every flow given (compileFlow defers it to first use) and keeps them:
 * the in-thread loader's (serving-flows.ts), with no reload worker to try the set first, so a
 * compiler failure refuses the set before any call could meet it.
 */
export function buildMachines(compiled: Iterable<CompiledFlow>): AnyStateMachine[] {
  return [...compiled].map((flow) => flow.machine);
}

/**
 * Builds the machine of every flow given and keeps none: the reload worker's check, whose machines
 * never leave its thread (the serving thread builds its own at each flow's first call). Kept until
 * the reply, they held ~0.7 MB per 50-node flow of the worker's heap (~132 MB for 200 flows); let go
 * as each is checked, a full collection finds none of them. A compiler failure throws, as `buildMachines`.
 */
export function checkMachinesBuild(compiled: Iterable<CompiledFlow>): void {
  for (const flow of compiled) {
    if (flow.checkBuild) flow.checkBuild();
    else void flow.machine;
  }
}

/**
 * Every flow of the set that has no errors, compiled, by id (flows with errors are skipped: validate reports them).
 * @example const machines = compileFlowSet(await loadFlows(['flows/'])); machines.get('support')?.machine
 */
export function compileFlowSet(set: FlowSet): Map<string, CompiledFlow> {
  const compiled = new Map<string, CompiledFlow>();
  for (const [id, flow] of set.flows) {
    if (hasErrors(flow.diagnostics)) continue;
    compiled.set(id, compileFlow(flow, set));
  }
  return compiled;
}
