import { pointerOf } from '../parse/flow-source.js';
import type { Reporter } from './check-context.js';
import { addEdge } from './flow-walk.js';

/** A subflow node's call, from a flow of the set to a known flow (flow-set.ts's are `SubflowCall<SetMember>`). */
export interface SubflowCall<From extends CallingFlow = CallingFlow> {
  from: From;
  node: string;
  child: string;
}

/** What this check reads of the calling flow: where to report (the flow's own reporter, its limit per code). */
interface CallingFlow {
  id: string;
  report: Reporter;
}

/**
 * How many levels of subflow calls a flow may nest: a flow calling a subflow is one level, that
 * subflow calling another two. Subflows are inlined into the caller's machine, and building it
 * (the compiler, XState, the sensitive-key and size walks) goes one stack frame deeper per level:
 * a chain of a few thousand small files overflowed the stack of `ivr validate` and of the serving
 * thread. Real menus nest a few levels. README "Flow files" and flows/README.md quote it.
 */
export const MAX_SUBFLOW_DEPTH = 32;

/** A flow's height: the longest chain of subflow calls below it, and the child that chain starts with. */
interface Height {
  levels: number;
  via?: string;
}

/**
 * Reports `subflow-too-deep` on each subflow call that makes its flow nest more than
 * MAX_SUBFLOW_DEPTH levels (1 + the child's height); true when there is one. `calls`: the set's
 * calls but those on a cycle (recursive-subflow's, which compile as nodes that fail), so they form
 * no cycle and the heights do not depend on the order the flows are met in. Every flow over the
 * bound has an error of its own, so it is neither compiled nor counted, and from a flow within it
 * a chain of flows without errors is at most MAX_SUBFLOW_DEPTH levels long.
 */
export function reportDeepSubflows(calls: readonly SubflowCall[]): boolean {
  const edges = new Map<string, SubflowCall[]>();
  for (const call of calls) addEdge(edges, call.from.id, call);
  const heights = subflowHeights(edges);
  let deep = false;
  for (const call of calls) {
    const levels = 1 + (heights.get(call.child)?.levels ?? 0);
    if (levels <= MAX_SUBFLOW_DEPTH) continue;
    deep = true;
    call.from.report('subflow-too-deep', pointerOf('nodes', call.node, 'subflow', 'flow'),
      () => `node \`${call.node}\`: calling subflow \`${call.child}\` nests ${levels} levels of subflows (${chainOf(call.child, heights)}), over the ${MAX_SUBFLOW_DEPTH} a flow may nest: call fewer subflows from subflows`);
  }
  return deep;
}

/**
 * The height of every flow that calls subflows, without recursion (an explicit stack: the chain
 * may be thousands of files long) and each flow's once, so linear in the calls. The calls form no
 * cycle; a call back to a flow on the current path would be skipped, so the loop ends whatever it is given.
 */
function subflowHeights(edges: ReadonlyMap<string, readonly SubflowCall[]>): Map<string, Height> {
  const heights = new Map<string, Height>();
  const onPath = new Set<string>();
  for (const root of edges.keys()) {
    if (heights.has(root)) continue;
    const stack: { id: string; next: number; height: Height }[] = [{ id: root, next: 0, height: { levels: 0 } }];
    onPath.add(root);
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      const out = edges.get(top.id) ?? [];
      if (top.next < out.length) {
        const child = out[top.next++]!.child;
        if (onPath.has(child)) continue;
        const known = heights.get(child);
        if (known !== undefined) raise(top.height, child, known);
        else {
          stack.push({ id: child, next: 0, height: { levels: 0 } });
          onPath.add(child);
        }
        continue;
      }
      stack.pop();
      onPath.delete(top.id);
      heights.set(top.id, top.height);
      const parent = stack.at(-1);
      if (parent !== undefined) raise(parent.height, top.id, top.height);
    }
  }
  return heights;
}

function raise(height: Height, child: string, below: Height): void {
  if (below.levels + 1 <= height.levels) return;
  height.levels = below.levels + 1;
  height.via = child;
}

/** The first ids of the longest chain from `id`, quoted (ids passed the schema's id pattern), cut to a few. */
function chainOf(id: string, heights: ReadonlyMap<string, Height>): string {
  const ids = [id];
  for (let via = heights.get(id)?.via; via !== undefined && ids.length < 3; via = heights.get(via)?.via) ids.push(via);
  const more = heights.get(ids.at(-1)!)?.via !== undefined ? ' → …' : '';
  return ids.map((i) => `\`${i}\``).join(' → ') + more;
}
