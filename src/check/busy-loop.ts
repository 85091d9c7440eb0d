import { pointerOf } from '../parse/flow-source.js';
import { nodeKind } from '../flow/types.js';
import type { FlowCheck } from './check-context.js';
import { addEdge, nodeEntries, targetRefs } from './flow-walk.js';

/**
 * A cycle made only of nodes that never wait for the caller (set, branch, split) would spin forever
 * inside one event: e.g. set -> branch -> set. Every other kind waits on something (playback,
 * keys, the network, a subflow's own nodes) before it goes on.
 */
export const busyLoop: FlowCheck = (ctx) => {
  const instant = new Set(nodeEntries(ctx.doc).filter(([, n]) => ['set', 'branch', 'split'].includes(nodeKind(n))).map(([name]) => name));
  const edges = new Map<string, string[]>();
  for (const ref of targetRefs(ctx.doc)) {
    if (ref.from === undefined || !instant.has(ref.from) || !instant.has(ref.target)) continue;
    addEdge(edges, ref.from, ref.target);
  }
  for (const cycle of cycles([...instant], edges)) {
    const first = cycle[0]!;
    const path = [...cycle, first].map((n) => `\`${n}\``).join(' → ');
    ctx.report(
      'busy-loop',
      pointerOf('nodes', first),
      `node \`${first}\`: ${path} is a loop that never waits for the caller, so the call would spin forever; put a play, menu or collect in it`,
      'key',
    );
  }
};

/**
 * One cycle per strongly connected component that loops (Tarjan), starting at its first node in
 * `nodes` order. Also finds import cycles (test/layering). Iterative (an explicit stack of
 * frames): a chain of thousands of set/branch nodes would overflow the call stack if each node
 * were a recursive call.
 */
export function cycles(nodes: string[], edges: Map<string, string[]>): string[][] {
  const order = new Map(nodes.map((n, i) => [n, i]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;

  const enter = (v: string): { v: string; next: number } => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    return { v, next: 0 };
  };
  const finish = (v: string): void => {
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const loops = component.length > 1 || (edges.get(v) ?? []).includes(v);
    if (loops) found.push(pathThrough(component, edges, order));
  };
  for (const root of nodes) {
    if (index.has(root)) continue;
    const frames = [enter(root)];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const out = edges.get(frame.v) ?? [];
      if (frame.next < out.length) {
        const w = out[frame.next++]!;
        if (!index.has(w)) frames.push(enter(w));
        else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      finish(frame.v);
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(frame.v)!));
    }
  }
  return found.sort((a, b) => order.get(a[0]!)! - order.get(b[0]!)!);
}

/** A readable cycle inside a component: follow edges from its first node until it comes back. */
function pathThrough(component: string[], edges: Map<string, string[]>, order: Map<string, number>): string[] {
  const members = new Set(component);
  const start = [...component].sort((a, b) => order.get(a)! - order.get(b)!)[0]!;
  // BFS for the shortest way back to start within the component.
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const w of edges.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0]!)!);
        return path;
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
