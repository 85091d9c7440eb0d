import { hasErrors } from '../diagnostics/diagnostic.js';
import type { FlowSet, LoadedFlow } from '../flow/loaded-flow.js';
import { startNode } from '../flow/flow-edges.js';

/**
 * The flow a subflow node runs, or why it runs none: the flow is unknown, recursive (`chain`
 * holds the flows above the node's, its own included), has errors or has no start node. validate
 * reports each; compiled anyway, the node fails at run time (subflow-states.ts), so what reads the
 * machine's subflows (the sensitive-key walk) follows exactly these. Not following a flow with
 * errors also keeps those walks within the subflow nesting bound: a flow over it has an error.
 */
export function calledFlow(flows: FlowSet, id: string, chain: readonly string[]): { child: LoadedFlow } | { problem: string } {
  const child = flows.flows.get(id);
  if (!child) return { problem: `unknown subflow "${id}"` };
  if (chain.includes(child.id)) return { problem: `recursive subflow "${id}" (${[...chain, child.id].join(' -> ')})` };
  if (hasErrors(child.diagnostics)) return { problem: `subflow "${id}" has errors` };
  if (!Object.hasOwn(child.doc.nodes, startNode(child.doc) ?? '')) return { problem: `subflow "${id}" has no start node` };
  return { child };
}
