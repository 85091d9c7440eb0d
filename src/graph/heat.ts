import type { FlowDoc } from '../flow/types.js';
import { NODE_FIGURES as N } from '../report/definitions.js';
import type { FlowFigures } from '../report/report-data.js';
import { dropOffColour, pct } from '../report/render-svg.js';
import { CALL_ENDS, type FlowGraph } from './flow-graph.js';

/** What `ivr graph --heat` adds to a flow's picture: traffic on edges, drop-off on nodes. */
export interface Heat {
  /** Node id -> a label line and a fill colour by drop-off. */
  nodes: Map<string, { text: string; fill: string }>;
  /** Index in graph.edges -> calls that took it, and a line width by traffic (1 to 8). */
  edges: Map<number, { count: number; width: number }>;
}

/**
 * The report's figures laid on the flow's own graph (src/graph/flow-graph.ts). An option's or
 * global key's edge carries the matches of that key in the node; any other edge the calls that
 * went from its node to its target (records name the next node, not why), so when two such edges
 * join the same nodes (no input and no match both to goodbye) the first carries the traffic. The
 * edge after a subflow carries the calls that came back from it; an edge to the end of the call
 * the calls that ended in the node without hanging up.
 */
export function heatOf(graph: FlowGraph, doc: FlowDoc, f: FlowFigures | undefined): Heat {
  const heat: Heat = { nodes: new Map(), edges: new Map() };
  const counts = new Map<number, number>();
  const claimed = new Set<string>();
  const keyed = new Map<string, number>();
  graph.edges.forEach((e, i) => {
    const key = e.kind === 'option' ? e.key.slice(`option:${e.from}:`.length) : e.kind === 'global' ? e.key.slice('global:'.length) : undefined;
    if (key === undefined) return;
    const n = f?.inputs[e.from]?.matches[key] ?? 0;
    counts.set(i, n);
    const pair = `${e.from}\n${e.to}`;
    keyed.set(pair, (keyed.get(pair) ?? 0) + n);
  });
  graph.edges.forEach((e, i) => {
    if (counts.has(i)) return;
    const pair = `${e.from}\n${e.to}`;
    if (claimed.has(pair)) {
      counts.set(i, 0);
      return;
    }
    claimed.add(pair);
    counts.set(i, Math.max(0, transitions(e.from, e.to, doc, f) - (keyed.get(pair) ?? 0)));
  });
  const most = Math.max(1, ...counts.values());
  for (const [i, count] of counts) heat.edges.set(i, { count, width: 1 + (7 * count) / most });
  for (const node of graph.nodes) {
    const n = f?.nodes[node.id];
    const text = `${N.entries.name} ${n?.entries ?? 0} · ${N.hangups.name} ${n?.hangups ?? 0} (${pct(n?.dropOff ?? 0)})`;
    heat.nodes.set(node.id, { text, fill: dropOffColour(n?.dropOff ?? 0) });
  }
  return heat;
}

/** Calls that went from `from` to `to` (the end of the call: ended there without hanging up). */
function transitions(from: string, to: string, doc: FlowDoc, f: FlowFigures | undefined): number {
  const node = f?.nodes[from];
  if (!f || !node) return 0;
  if (to === CALL_ENDS) {
    const left = Object.values(node.exits).reduce((a, b) => a + b, 0);
    return Math.max(0, node.entries - left - node.hangups);
  }
  const spec = doc.nodes[from] as { subflow?: { flow?: string } } | undefined;
  const subflow = spec?.subflow?.flow;
  if (subflow !== undefined) {
    // Back from the subflow: its nodes are named `<subflow>/<node>` in the calling flow's records.
    let back = 0;
    for (const [name, n] of Object.entries(f.nodes)) if (name.startsWith(`${subflow}/`)) back += n.exits[to] ?? 0;
    return back;
  }
  return node.exits[to] ?? 0;
}
