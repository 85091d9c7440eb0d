import type { FlowFigures } from './report-data.js';

/** A node as the report draws it: where it sits and its figures. */
export interface PlacedNode {
  name: string;
  layer: number;
  /** Position within the layer, 0 first. */
  slot: number;
  entries: number;
  calls: number;
  hangups: number;
  dropOff: number;
  /** Input nodes only. */
  failureRate?: number;
  failed?: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  count: number;
  /** The edge goes to a layer at or above its source's (a loop back, a retry). */
  back: boolean;
}

export interface TrafficGraph {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  layers: number;
  widest: number;
  /** Nodes left out of the picture (the tables list every node). */
  omitted: number;
}

/** Most nodes drawn; the busiest are kept. */
export const MAX_DRAWN_NODES = 80;

/**
 * The flow as its calls went: nodes and the transitions records show, placed in layers by their
 * distance from where calls start (a simple layered layout: roots are nodes no call came from,
 * else the busiest node; within a layer busier nodes first, then each next layer ordered by its
 * parents' positions to keep lines short).
 */
export function trafficGraph(f: FlowFigures): TrafficGraph {
  const all = Object.entries(f.nodes);
  const kept = new Set(all.slice(0, MAX_DRAWN_NODES).map(([name]) => name));
  const edges: PlacedEdge[] = [];
  const incoming = new Map<string, number>();
  for (const [from, n] of all) {
    if (!kept.has(from)) continue;
    for (const [to, count] of Object.entries(n.exits)) {
      if (!kept.has(to) || to === from) {
        if (to === from) edges.push({ from, to, count, back: true });
        continue;
      }
      edges.push({ from, to, count, back: false });
      incoming.set(to, (incoming.get(to) ?? 0) + count);
    }
  }
  const names = [...kept];
  let roots = names.filter((n) => !incoming.has(n));
  if (roots.length === 0 && names.length > 0) roots = [names[0]!];

  // Shortest distance from a root, by breadth-first search; unreached nodes go below the rest.
  const layer = new Map<string, number>(roots.map((r) => [r, 0]));
  const queue = [...roots];
  const next = new Map<string, string[]>();
  for (const e of edges) if (e.from !== e.to) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const to of next.get(at) ?? []) {
      if (!layer.has(to)) {
        layer.set(to, layer.get(at)! + 1);
        queue.push(to);
      }
    }
  }
  let deepest = Math.max(0, ...layer.values());
  for (const n of names) if (!layer.has(n)) layer.set(n, ++deepest);

  const byLayer: string[][] = [];
  for (const n of names) (byLayer[layer.get(n)!] ??= []).push(n);
  const slot = new Map<string, number>();
  byLayer.forEach((list, li) => {
    if (li > 0) {
      // Order by the mean slot of the nodes calls came from (barycentre), busier first on ties.
      const centre = (n: string): number => {
        const from = edges.filter((e) => e.to === n && !e.back && slot.has(e.from));
        return from.length === 0 ? Infinity : from.reduce((s, e) => s + slot.get(e.from)!, 0) / from.length;
      };
      list.sort((a, b) => centre(a) - centre(b) || f.nodes[b]!.entries - f.nodes[a]!.entries);
    }
    list.forEach((n, i) => slot.set(n, i));
  });
  for (const e of edges) e.back = e.back || layer.get(e.to)! <= layer.get(e.from)!;

  const nodes = names.map((name): PlacedNode => {
    const n = f.nodes[name]!;
    const input = f.inputs[name];
    const placed: PlacedNode = { name, layer: layer.get(name)!, slot: slot.get(name)!, entries: n.entries, calls: n.calls, hangups: n.hangups, dropOff: n.dropOff };
    if (input) {
      placed.failureRate = input.failureRate;
      placed.failed = input.failed;
    }
    return placed;
  });
  return { nodes, edges, layers: byLayer.length, widest: Math.max(0, ...byLayer.map((l) => l?.length ?? 0)), omitted: all.length - names.length };
}
