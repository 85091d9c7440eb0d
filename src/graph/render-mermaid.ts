import { CALL_ENDS, nodeKey, type FlowGraph } from './flow-graph.js';

/**
 * Mermaid `flowchart` text (renders in GitHub and GitLab markdown). Labels are quoted, and the
 * characters Mermaid gives meaning to inside quotes are written as entity codes (`#35;` for `#`).
 */
export function renderMermaid(graph: FlowGraph, uncovered: ReadonlySet<string> = new Set()): string {
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
    const text = node.prompt ? `${node.id}<br/>${node.kind}: ${node.prompt}` : `${node.id}<br/>${node.kind}`;
    lines.push(`  ${idOf(node.id)}["${escape(text)}"]`);
    if (uncovered.has(nodeKey(node.id))) lines.push(`  class ${idOf(node.id)} uncovered`);
  }
  if (graph.edges.some((e) => e.to === CALL_ENDS)) lines.push(`  ${idOf(CALL_ENDS)}(("end"))`);
  graph.edges.forEach((edge, i) => {
    const arrow = edge.kind === 'global' || edge.kind === 'onError' ? '-.->' : '-->';
    lines.push(`  ${idOf(edge.from)} ${arrow}|"${escape(edge.label)}"| ${idOf(edge.to)}`);
    if (uncovered.has(edge.key)) lines.push(`  linkStyle ${i + 1} stroke:#d33,stroke-dasharray:4`);
  });
  if (uncovered.size > 0) lines.push('  classDef uncovered stroke:#d33,stroke-width:2px,stroke-dasharray:4');
  return `${lines.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/[#"<>]/g, (c) => (c === '#' ? '#35;' : c === '"' ? '#quot;' : c === '<' ? '#lt;' : '#gt;'))
    .replace(/#lt;br\/#gt;/g, '<br/>');
}
