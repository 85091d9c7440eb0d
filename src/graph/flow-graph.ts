/**
 * graph/: `ivr graph`'s picture of a flow. The edges are the flow's own list
 * (src/flow/flow-edges.ts: the checks and the key masking read the same one); this file adds what
 * a picture needs (each node's kind and first prompt, the end as one node), the renderers draw it
 * (render-mermaid.ts, render-dot.ts), and coverage (uncovered-keys.ts) and traffic (heat.ts) are
 * marked by the edges' keys, the ids `ivr test --coverage` uses.
 */
import { flowEdges, startNode, type EdgeKind } from '../flow/flow-edges.js';
import { nodeKind, promptItems, type FlowDoc, type FlowNode, type NodeKind, type PromptSpec } from '../flow/types.js';

/** A node of the picture: a flow node, labelled by its kind and what it plays. */
export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** First prompt name (or a short description of the prompt list). */
  prompt?: string;
}

/** Why the call can go from one node to another. `key` identifies it for coverage. */
export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  /** Coverage key (`FlowEdge.key`, flow/flow-edges.ts). */
  key: string;
  kind: Exclude<EdgeKind, 'start' | 'onFailure'>;
}

export interface FlowGraph {
  id: string;
  start: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The coverage key of a node (`node:<name>`), as src/testing/coverage.ts names it. */
export function nodeKey(node: string): string {
  return `node:${node}`;
}

/** The end of the call, drawn as one terminal node. */
export const CALL_ENDS = '(end)';

function describePrompt(spec: PromptSpec | undefined): string | undefined {
  const items = promptItems(spec);
  if (items.length === 0) return undefined;
  const first = items[0]!;
  const name = typeof first === 'string' ? first : 'digits' in first ? 'digits' : 'number' in first ? 'number' : 'silence';
  return items.length > 1 ? `${name} +${items.length - 1}` : name;
}

/** The prompt a node plays first, if its kind plays one (`play`, or the spec's `prompt`). */
function promptOf(node: FlowNode, kind: NodeKind): PromptSpec | undefined {
  if (kind === 'play') return (node as { play: PromptSpec }).play;
  const spec = (node as unknown as Record<string, unknown>)[kind];
  return kind === 'branch' || kind === 'split' || kind === 'set' || spec === null || typeof spec !== 'object' ? undefined : (spec as { prompt?: PromptSpec }).prompt;
}

/** The flow as nodes and labelled edges (flow/flow-edges.ts, the list the checks read too): what `ivr graph` draws and coverage counts. */
export function buildFlowGraph(doc: FlowDoc, fallbackId: string): FlowGraph {
  const nodes = Object.entries(doc.nodes).map(([id, node]): GraphNode => {
    const kind = nodeKind(node);
    const prompt = describePrompt(promptOf(node, kind));
    return prompt === undefined ? { id, kind } : { id, kind, prompt };
  });
  const edges = flowEdges(doc).flatMap((e): GraphEdge[] =>
    e.from === undefined || e.kind === 'start' || e.kind === 'onFailure' ? [] : [{ from: e.from, to: e.to ?? CALL_ENDS, label: e.label, kind: e.kind, key: e.key }]);
  return { id: doc.id ?? fallbackId, start: startNode(doc) ?? CALL_ENDS, nodes, edges };
}
