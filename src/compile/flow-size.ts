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
import type { Config } from './routes.js';

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
 * cycle counts once).
 *
 * @example stateCounter(set)(set.flows.get('support')!) // 158
 */
export function stateCounter(set: FlowSet): (flow: LoadedFlow) => number {
  /** States a flow adds where it is inlined: everything under a subflow node's `run` state. */
  const inlined = new Map<string, number>();
  const shallow = (flow: LoadedFlow): { config: Config; called: LoadedFlow[] } => {
    const called: LoadedFlow[] = [];
    const { config } = flowMachineConfig(flow, set, (scope) => {
      called.push(scope.flow);
      return {};
    });
    return { config, called };
  };
  const calledStates = (called: LoadedFlow[]): number => called.reduce((sum, child) => sum + inlinedStates(child), 0);
  const inlinedStates = (flow: LoadedFlow): number => {
    const known = inlined.get(flow.id);
    if (known !== undefined) return known;
    // A flow with errors is not compiled, nor counted: its config may not build (its own errors say why).
    if (hasErrors(flow.diagnostics)) return 0;
    inlined.set(flow.id, 0); // a cycle (validate's recursive-subflow) counts once
    const { config, called } = shallow(flow);
    // Inlined, a flow brings its node states (compile-flow.ts puts them under `call`), not its root.
    const nodes = ((config.states as Record<string, StateConfig>).call as StateConfig).states ?? {};
    const total = countStates({ states: nodes }) - 1 + calledStates(called);
    inlined.set(flow.id, total);
    return total;
  };
  return (flow) => {
    const { config, called } = shallow(flow);
    // Each subflow node's `run` state was counted as a leaf; what is inlined there comes on top.
    return countStates(config) + calledStates(called);
  };
}

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
