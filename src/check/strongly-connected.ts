/**
 * The strongly connected components of a directed graph (Tarjan's algorithm), without recursion:
 * an explicit stack, since a graph of flow files may be a chain thousands long. Linear in the
 * nodes and edges. Each node reached from `roots` gets the number of its component; two nodes
 * reach each other exactly when their numbers are equal.
 *
 * @example components(['a', 'b', 'c'], (id) => ({ a: ['b'], b: ['a'], c: [] })[id] ?? []) // a, b: 0; c: 1
 */
export function components(roots: Iterable<string>, next: (id: string) => readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const open: string[] = [];
  const onOpen = new Set<string>();
  let count = 0;
  const enter = (id: string, work: { id: string; out: readonly string[]; at: number }[]): void => {
    index.set(id, index.size);
    low.set(id, index.get(id)!);
    open.push(id);
    onOpen.add(id);
    work.push({ id, out: next(id), at: 0 });
  };
  for (const root of roots) {
    if (index.has(root)) continue;
    const work: { id: string; out: readonly string[]; at: number }[] = [];
    enter(root, work);
    while (work.length > 0) {
      const top = work.at(-1)!;
      if (top.at < top.out.length) {
        const to = top.out[top.at++]!;
        if (!index.has(to)) enter(to, work);
        else if (onOpen.has(to)) low.set(top.id, Math.min(low.get(top.id)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (low.get(top.id) === index.get(top.id)) {
        for (let id = open.pop(); id !== undefined; id = open.pop()) {
          onOpen.delete(id);
          component.set(id, count);
          if (id === top.id) break;
        }
        count++;
      }
      const parent = work.at(-1);
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(top.id)!));
    }
  }
  return component;
}
