import { printable } from '../diagnostics/printable.js';
import { CALL_ENDS, nodeKey, type FlowGraph } from './flow-graph.js';
import type { Heat } from './heat.js';

/**
 * Mermaid `flowchart` text (renders in GitHub and GitLab markdown). Labels are quoted, and the
 * characters Mermaid gives meaning to inside quotes are written as entity codes (`#35;` for `#`);
 * control characters (a newline in a node name would end the statement) are `printable` escapes.
 * With `heat` (ivr graph --heat) nodes are filled by drop-off and labelled with their figures,
 * edges labelled with their traffic and drawn wider for more.
 */
export function renderMermaid(graph: FlowGraph, uncovered: ReadonlySet<string> = new Set(), heat?: Heat): string {
  const ids = new Map<string, string>();
  const idOf = (name: string): string => {
    let id = ids.get(name);
    if (!id) {
      id = name === CALL_ENDS ? 'call_ends' : `n_${name.replace(/[^A-Za-z0-9_]/g, '_')}_${ids.size}`;
      ids.set(name, id);
    }
    return id;
  };
  const lines = ['flowchart TD', `  start(("start")) --> ${idOf(graph.start)}`];
  for (const node of graph.nodes) {
    let text = node.prompt ? `${node.id}<br/>${node.kind}: ${node.prompt}` : `${node.id}<br/>${node.kind}`;
    const hot = heat?.nodes.get(node.id);
    if (hot) text += `<br/>${hot.text}`;
    lines.push(`  ${idOf(node.id)}["${escape(text)}"]`);
    if (hot) lines.push(`  style ${idOf(node.id)} fill:${hot.fill}`);
    if (uncovered.has(nodeKey(node.id))) lines.push(`  class ${idOf(node.id)} uncovered`);
  }
  if (graph.edges.some((e) => e.to === CALL_ENDS)) lines.push(`  ${idOf(CALL_ENDS)}(("end"))`);
  graph.edges.forEach((edge, i) => {
    const arrow = edge.kind === 'global' || edge.kind === 'onError' ? '-.->' : '-->';
    const hot = heat?.edges.get(i);
    const label = hot ? `${edge.label} · ${hot.count}` : edge.label;
    lines.push(`  ${idOf(edge.from)} ${arrow}|"${escape(label)}"| ${idOf(edge.to)}`);
    if (uncovered.has(edge.key)) lines.push(`  linkStyle ${i + 1} stroke:#d33,stroke-dasharray:4`);
    else if (hot) lines.push(`  linkStyle ${i + 1} stroke-width:${hot.width.toFixed(1)}px`);
  });
  if (uncovered.size > 0) lines.push('  classDef uncovered stroke:#d33,stroke-width:2px,stroke-dasharray:4');
  return `${lines.join('\n')}\n`;
}

function escape(text: string): string {
  return printable(text).replace(/[#"<>]/g, (c) => (c === '#' ? '#35;' : c === '"' ? '#quot;' : c === '<' ? '#lt;' : '#gt;'))
    .replace(/#lt;br\/#gt;/g, '<br/>');
}
