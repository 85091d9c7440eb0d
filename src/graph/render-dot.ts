import { printable } from '../diagnostics/printable.js';
import { CALL_ENDS, nodeKey, type FlowGraph } from './flow-graph.js';
import type { Heat } from './heat.js';

/**
 * Graphviz DOT text; uncovered nodes and edges are drawn dashed red; with `heat`, traffic on edges
 * and drop-off on nodes. Names are `printable` before quoting, so a control character in a node
 * name shows as an escape instead of breaking a label.
 */
export function renderDot(graph: FlowGraph, uncovered: ReadonlySet<string> = new Set(), heat?: Heat): string {
  const q = (s: string): string => JSON.stringify(printable(s));
  const lines = [`digraph ${q(graph.id)} {`, '  rankdir=TB;', '  node [shape=box, fontname="Helvetica"];', '  "(start)" [shape=circle, label="start"];'];
  lines.push(`  "(start)" -> ${q(graph.start)};`);
  for (const node of graph.nodes) {
    const hot = heat?.nodes.get(node.id);
    const parts = [node.id, node.prompt ? `${node.kind}: ${node.prompt}` : node.kind, ...(hot ? [hot.text] : [])];
    // Each part escaped on its own, then joined by DOT's `\n` (a line break inside the label).
    const label = parts.map((s) => JSON.stringify(printable(s)).slice(1, -1)).join('\\n');
    const dashed = uncovered.has(nodeKey(node.id));
    const looks = [...(dashed ? ['dashed'] : []), ...(hot ? ['filled'] : [])];
    const style = (dashed ? ', color=red' : '') + (looks.length === 1 ? `, style=${looks[0]}` : looks.length > 1 ? `, style=${q(looks.join(','))}` : '') + (hot ? `, fillcolor=${q(hot.fill)}` : '');
    lines.push(`  ${q(node.id)} [label="${label}"${style}];`);
  }
  lines.push(`  ${q(CALL_ENDS)} [shape=doublecircle, label="end"];`);
  for (const [i, edge] of graph.edges.entries()) {
    const hot = heat?.edges.get(i);
    const styles = [`label=${q(hot ? `${edge.label} · ${hot.count}` : edge.label)}`];
    if (hot) styles.push(`penwidth=${hot.width.toFixed(1)}`);
    if (edge.kind === 'global' || edge.kind === 'onError') styles.push('style=dotted');
    if (uncovered.has(edge.key)) styles.push('color=red', 'style=dashed');
    lines.push(`  ${q(edge.from)} -> ${q(edge.to)} [${styles.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
