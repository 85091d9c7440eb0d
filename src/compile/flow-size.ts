/**
 * How big a flow's machine is, and the one rule about it: the serving thread builds each machine
 * in one go (~35 µs a state; README "Reliability"), so a flow whose machine has more than
 * `--max-flow-states` states (subflows inlined) is refused by `ivr serve` at start and on reload
 * (its reload worker), and reported by `ivr validate`, with the same diagnostic.
 */
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { fileDiagnostic } from '../diagnostics/make-diagnostic.js';
import type { FlowSet, LoadedFlow } from '../flow/loaded-flow.js';
import { flowMachineConfig } from './compile-flow.js';

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
 * The `flow-too-large` error for `flow` when its machine `config` has more than `maxStates`
 * states; undefined when it fits.
 *
 * @example flowTooLarge(compiled.flow, compiled.machine.config, 2000)
 */
export function flowTooLarge(flow: Pick<LoadedFlow, 'id' | 'file'>, config: object, maxStates: number): Diagnostic | undefined {
  const states = countStates(config);
  if (states <= maxStates) return undefined;
  // The id passed the schema's flow-id pattern: safe to quote.
  return fileDiagnostic(
    flow.file,
    'flow-too-large',
    `flow ${flow.id} compiles to ${states} states, over --max-flow-states ${maxStates}: building it would stall calls in progress; ` +
      'call big subflows from fewer nodes, split the flow, or raise --max-flow-states (for both ivr serve and ivr validate)',
  );
}

/**
 * `flowTooLarge` for every flow of a set that has no errors at all, as `ivr serve` checks a set
 * it would serve (a set with errors is refused before its size matters). Only the machine
 * configs are made, not the machines.
 */
export function flowSizeDiagnostics(set: FlowSet, maxStates: number): Diagnostic[] {
  if (hasErrors(set.diagnostics) || [...set.flows.values()].some((f) => hasErrors(f.diagnostics))) return [];
  const found: Diagnostic[] = [];
  for (const flow of set.flows.values()) {
    const diagnostic = flowTooLarge(flow, flowMachineConfig(flow, set).config, maxStates);
    if (diagnostic) found.push(diagnostic);
  }
  return found;
}
