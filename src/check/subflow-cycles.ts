/**
 * Subflow cycles as `recursive-subflow` reports them: which calls lie on a cycle and the path
 * each message quotes. Flows are ids, `next(id)` the flows a flow calls (repeats allowed). Linear
 * in the calls however they are wired; the only recursion-free search is strongly-connected.ts.
 */
import { components } from './strongly-connected.js';

/** A cycle small enough to search once per calling flow; a larger one (only a generated set has one) is walked through one root. */
export const SEARCHED_CYCLE = 64;

/**
 * The cycles among `flows`: `onCycle(from, child)` is whether a call `from → child` lies on one
 * (the child leads back to the caller: both in one strongly connected component), and
 * `walk(from, child)` for such a call is a walk `from → child → … → from` along calls. In a cycle
 * of up to SEARCHED_CYCLE flows it is the shortest, whole (one search per calling flow); in a
 * larger one, its first steps towards the cycle's first flow, then `…` and `from` (one search for
 * the whole cycle, a few steps per call).
 */
export function subflowCycles(flows: Iterable<string>, next: (id: string) => readonly string[]): {
  onCycle: (from: string, child: string) => boolean;
  walk: (from: string, child: string) => string[];
} {
  const component = components(flows, next);
  const members = new Map<number, string[]>();
  for (const [id, n] of component) {
    const list = members.get(n);
    if (list === undefined) members.set(n, [id]);
    else list.push(id);
  }
  const walks = new Map<number, (from: string, child: string) => string[]>();
  return {
    onCycle: (from, child) => component.get(from) !== undefined && component.get(from) === component.get(child),
    walk: (from, child) => {
      const n = component.get(from)!;
      let walk = walks.get(n);
      if (walk === undefined) walks.set(n, (walk = cycleWalks(members.get(n)!, next)));
      return walk(from, child);
    },
  };
}

function cycleWalks(members: readonly string[], next: (id: string) => readonly string[]): (from: string, child: string) => string[] {
  const inside = new Set(members);
  // Each flow's callers inside the cycle, once each, however many nodes call it.
  const callers = new Map<string, Set<string>>();
  for (const id of members) {
    for (const to of next(id)) {
      if (!inside.has(to)) continue;
      const set = callers.get(to);
      if (set === undefined) callers.set(to, new Set([id]));
      else set.add(id);
    }
  }
  const searches = new Map<string, Map<string, string>>();
  /** For each flow of the cycle, its next step on a shortest path to `target`. */
  const towards = (target: string): Map<string, string> => {
    let found = searches.get(target);
    if (found === undefined) searches.set(target, (found = stepsTowards(target, (id) => callers.get(id) ?? [])));
    return found;
  };
  if (members.length <= SEARCHED_CYCLE) {
    return (from, child) => {
      const steps = towards(from);
      const ids = [from, child];
      for (let id = child; id !== from; ) ids.push((id = steps.get(id)!));
      return ids;
    };
  }
  const root = members[0]!;
  return (from, child) => {
    const steps = towards(root);
    const ids = [from, child];
    for (let id = child; ids.length < 4 && id !== root && id !== from; ) ids.push((id = steps.get(id)!));
    return ids.at(-1) === from ? ids : [...ids, '…', from];
  };
}

/** Breadth-first from `target` over `callersOf`: each flow reached, with the flow it calls next on a shortest path to `target`. */
function stepsTowards(target: string, callersOf: (id: string) => Iterable<string>): Map<string, string> {
  const steps = new Map<string, string>([[target, target]]);
  const queue = [target];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const caller of callersOf(id)) {
      if (steps.has(caller)) continue;
      steps.set(caller, id);
      queue.push(caller);
    }
  }
  return steps;
}
