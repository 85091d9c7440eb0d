import { CALL_ENDS, nodeKey, type FlowGraph } from './flow-graph.js';

/** Graphviz DOT text; uncovered nodes and edges are drawn dashed red. */
export function renderDot(graph: FlowGraph, uncovered: ReadonlySet<string> = new Set()): string {
  const q = (s: string): string => JSON.stringify(s);
  const lines = [`digraph ${q(graph.id)} {`, '  rankdir=TB;', '  node [shape=box, fontname="Helvetica"];', '  "(start)" [shape=circle, label="start"];'];
  lines.push(`  "(start)" -> ${q(graph.start)};`);
  for (const node of graph.nodes) {
    const label = node.prompt ? `${node.id}\n${node.kind}: ${node.prompt}` : `${node.id}\n${node.kind}`;
    const style = uncovered.has(nodeKey(node.id)) ? ', color=red, style=dashed' : '';
    lines.push(`  ${q(node.id)} [label=${q(label)}${style}];`);
  }
  lines.push(`  ${q(CALL_ENDS)} [shape=doublecircle, label="end"];`);
  for (const edge of graph.edges) {
    const styles = [`label=${q(edge.label)}`];
    if (edge.kind === 'global' || edge.kind === 'onError') styles.push('style=dotted');
    if (uncovered.has(edge.key)) styles.push('color=red', 'style=dashed');
    lines.push(`  ${q(edge.from)} -> ${q(edge.to)} [${styles.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
