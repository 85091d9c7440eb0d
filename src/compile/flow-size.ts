/**
 * How big a flow's machine is, and the one rule about it: the serving thread builds each machine
 * in one go, at the flow's first call (~35 µs a state; README "Reliability"), so a flow whose machine has more than
 * `--max-flow-states` states (subflows inlined) is refused by `ivr serve` at start and on reload
 * (its reload worker, before anything is compiled), and reported by `ivr validate`, with the
 * same diagnostic.
 *
 * The count never builds an inlined machine: inlining copies a subflow into every node that
 * calls it, so a few small files calling each other eight times a level describe millions of
 * states. Each flow's config is built once with its subflow nodes left empty, and a subflow
 * node counts as the called flow's states (memoized): time and memory follow the files' size,
 * whatever number they describe.
 */
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { fileDiagnostic } from '../diagnostics/make-diagnostic.js';
import type { FlowSet, LoadedFlow } from '../flow/loaded-flow.js';
import { flowMachineConfig } from './compile-flow.js';
import type { Config, FlowScope } from './routes.js';

interface StateConfig {
  states?: Record<string, StateConfig>;
}

/** States in a machine config, counted without recursion (a config's depth follows the file's). */
export function countStates(root: object): number {
  let count = 0;
  const stack: StateConfig[] = [root];
  for (let config = stack.pop(); config !== undefined; config = stack.pop()) {
    count++;
    for (const child of Object.values(config.states ?? {})) stack.push(child);
  }
  return count;
}

/**
 * Counts the states of each flow's machine, subflows inlined, as `countStates` of its compiled
 * config would, for the flows of one set (a set with recursive subflows is not served, and its
 * cycle counts once). Each flow's config is built once, for all the flows that call it, and
 * without its secrets (finding them walks every flow it calls): the time follows the files.
 *
 * @example stateCounter(set)(set.flows.get('support')!) // 158
 */
export function stateCounter(set: FlowSet): (flow: LoadedFlow) => number {
  /** A flow's own config: its states as a machine (`asRoot`), the states it brings where inlined (`asInlined`: its node states, not its root), the flows its subflow nodes call. */
  const shapes = new Map<string, { asRoot: number; asInlined: number; called: LoadedFlow[] }>();
  const shape = (flow: LoadedFlow): { asRoot: number; asInlined: number; called: LoadedFlow[] } => {
    const known = shapes.get(flow.id);
    if (known !== undefined) return known;
    const called: LoadedFlow[] = [];
    const inline = (scope: FlowScope): Config => {
      called.push(scope.flow);
      return {};
    };
    const { config } = flowMachineConfig(flow, set, inline, NO_SECRETS);
    const nodes = ((config.states as Record<string, StateConfig>).call as StateConfig).states ?? {};
    // Each subflow node's `run` state is counted here as a leaf; what is inlined there comes on top.
    const found = { asRoot: countStates(config), asInlined: countStates({ states: nodes }) - 1, called };
    shapes.set(flow.id, found);
    return found;
  };
  /** States a flow adds where it is inlined: everything under a subflow node's `run` state. */
  const inlined = new Map<string, number>();
  const inlinedStates = (flow: LoadedFlow): number => {
    const known = inlined.get(flow.id);
    if (known !== undefined) return known;
    // A flow with errors is not compiled, nor counted: its config may not build (its own errors say why).
    if (hasErrors(flow.diagnostics)) return 0;
    inlined.set(flow.id, 0); // a cycle (validate's recursive-subflow) counts once
    const { asInlined, called } = shape(flow);
    const total = asInlined + calledStates(called);
    inlined.set(flow.id, total);
    return total;
  };
  const calledStates = (called: LoadedFlow[]): number => called.reduce((sum, child) => sum + inlinedStates(child), 0);
  return (flow) => {
    const { asRoot, called } = shape(flow);
    return asRoot + calledStates(called);
  };
}

/** The count needs no secrets: they change a machine's parts, not its states. */
const NO_SECRETS: ReadonlySet<string> = new Set();

/** The `flow-too-large` error for `flow` when `states` is over `maxStates`; undefined when it fits. */
export function flowTooLarge(flow: Pick<LoadedFlow, 'id' | 'file'>, states: number, maxStates: number): Diagnostic | undefined {
  if (states <= maxStates) return undefined;
  // The id passed the schema's flow-id pattern: safe to quote.
  return fileDiagnostic(
    flow.file,
    'flow-too-large',
    `flow ${flow.id} compiles to ${Number.isSafeInteger(states) ? states : `more than ${Number.MAX_SAFE_INTEGER}`} states, over --max-flow-states ${maxStates}: building it would stall calls in progress; ` +
      'call big subflows from fewer nodes, split the flow, or raise --max-flow-states (for both ivr serve and ivr validate)',
  );
}

/**
 * `flowTooLarge` for every flow of a set that has no errors of its own, as `ivr serve` checks a set
 * it would serve; flows with errors are neither counted nor compiled.
 */
export function flowSizeDiagnostics(set: FlowSet, maxStates: number): Diagnostic[] {
  const count = stateCounter(set);
  const found: Diagnostic[] = [];
  for (const flow of set.flows.values()) {
    if (hasErrors(flow.diagnostics)) continue;
    const diagnostic = flowTooLarge(flow, count(flow), maxStates);
    if (diagnostic) found.push(diagnostic);
  }
  return found;
}
