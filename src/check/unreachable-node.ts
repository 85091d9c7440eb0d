import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { startNode } from '../flow/flow-edges.js';
import { addEdge, nodeEntries, targetRefs } from './flow-walk.js';

/**
 * Nodes no path reaches. Roots: the start node, the flow's onError and onFailure (any node may
 * fail, any menu may run out of retries) and the global keys' targets (a caller may press them
 * in any menu).
 */
export const unreachableNode: FlowCheck = (ctx) => {
  const refs = targetRefs(ctx.doc);
  const next = new Map<string, string[]>();
  const roots: string[] = [];
  const start = startNode(ctx.doc);
  if (start !== undefined) roots.push(start);
  for (const ref of refs) {
    if (ref.from === undefined) {
      if (ref.role !== 'start') roots.push(ref.target);
    } else addEdge(next, ref.from, ref.target);
  }
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const v = queue.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    queue.push(...(next.get(v) ?? []));
  }
  for (const [name] of nodeEntries(ctx.doc)) {
    if (!seen.has(name)) ctx.report('unreachable-node', pointerOf('nodes', name), `node \`${name}\` is never reached from the start node \`${start ?? ''}\``, 'key');
  }
};
