import type { FlowDoc } from '../flow/types.js';
import { nodeKind, targetOf } from '../flow/types.js';
import type { TraceEvent } from './simulated-call.js';

/**
 * What a flow's tests can reach: every node, every way out of a menu (option keys, `match`
 * rules, the flow's global keys) and every handler the author declared (`noInput`, `noMatch`,
 * `onError`). Handlers left to their defaults are not counted: there is nothing of the
 * author's to test there.
 */
export interface CoverageItem {
  /** Stable id (`node:<name>`, `option:<node>:<key>`, `match:<node>:<i>`, `noInput:<node>`, `noMatch:<node>`, `onError:<node>`, `onError:`, `global:<key>`): `ivr graph --coverage` marks graph items by it. */
  id: string;
  kind: 'node' | 'option' | 'handler';
  /** The node it belongs to ('' for the flow's global keys and flow-level onError). */
  node: string;
  /** How a report names it: `main_menu option "1"`, `billing noInput`, `global key "0"`. */
  label: string;
  reached: boolean;
}

export interface FlowCoverage {
  flow: string;
  file: string;
  items: CoverageItem[];
  reached: number;
  total: number;
  /** reached / total × 100, one decimal; 100 for a flow with nothing to cover. */
  percent: number;
}

/** Coverage items of a flow, none reached yet, keyed by a stable id. */
function itemsOf(doc: FlowDoc): Map<string, CoverageItem> {
  const items = new Map<string, CoverageItem>();
  const add = (id: string, item: Omit<CoverageItem, 'reached' | 'id'>) => items.set(id, { id, ...item, reached: false });
  for (const [name, node] of Object.entries(doc.nodes)) {
    add(`node:${name}`, { kind: 'node', node: name, label: name });
    const kind = nodeKind(node);
    if (kind === 'menu' && 'menu' in node) {
      for (const key of Object.keys(node.menu.options ?? {})) add(`option:${name}:${key}`, { kind: 'option', node: name, label: `${name} option "${key}"` });
      (node.menu.match ?? []).forEach((rule, i) => add(`match:${name}:${i}`, { kind: 'option', node: name, label: `${name} match /${rule.pattern}/` }));
    }
    const handlers = 'menu' in node ? node.menu : 'collect' in node ? node.collect : undefined;
    if (handlers?.noInput) add(`noInput:${name}`, { kind: 'handler', node: name, label: `${name} noInput` });
    if (handlers?.noMatch) add(`noMatch:${name}`, { kind: 'handler', node: name, label: `${name} noMatch` });
    if (node.onError !== undefined) add(`onError:${name}`, { kind: 'handler', node: name, label: `${name} onError` });
  }
  for (const key of Object.keys(doc.global ?? {})) add(`global:${key}`, { kind: 'option', node: '', label: `global key "${key}"` });
  if (doc.onError !== undefined) add('onError:', { kind: 'handler', node: '', label: 'flow onError' });
  return items;
}

/**
 * Marks what the traces of every case reached. A trace is the call's `node`, `input` and
 * `error` events in order; an input belongs to the flow of the node entered last, so the cases
 * of a flow that calls `flow` as a subflow (at any depth) count for it too.
 */
export function computeCoverage(flow: string, file: string, doc: FlowDoc, traces: readonly TraceEvent[][]): FlowCoverage {
  const tally = new CoverageTally(flow, doc);
  for (const trace of traces) tally.add(trace);
  return tally.coverage(file);
}

/**
 * A flow's coverage items, built once, marked trace by trace: a search that reads thousands of
 * traces (generate-tests.ts) pays for each trace, not for the whole flow again each time.
 *
 * @example
 *   const tally = new CoverageTally('support', doc);
 *   tally.add(call.trace); // ['node:greet', 'node:main_menu', 'option:main_menu:2', …]
 */
export class CoverageTally {
  private readonly items: Map<string, CoverageItem>;

  constructor(private readonly flow: string, private readonly doc: FlowDoc) {
    this.items = itemsOf(doc);
  }

  /** The number of items. */
  get size(): number {
    return this.items.size;
  }

  /** Marks what `trace` reached; returns the ids of the items it reached, reached before or not. */
  add(trace: readonly TraceEvent[]): Set<string> {
    const reached = new Set<string>();
    markTrace(this.flow, this.doc, trace, (id) => {
      const item = this.items.get(id);
      if (!item) return;
      item.reached = true;
      reached.add(id);
    });
    return reached;
  }

  /** Every item, reached or not, with the totals: a snapshot, which later `add` calls leave as it is. */
  coverage(file: string): FlowCoverage {
    const all = [...this.items.values()].map((item) => ({ ...item }));
    const reached = all.filter((i) => i.reached).length;
    const percent = all.length === 0 ? 100 : Math.floor((reached / all.length) * 1000) / 10;
    return { flow: this.flow, file, items: all, reached, total: all.length, percent };
  }
}

function markTrace(flow: string, doc: FlowDoc, trace: readonly TraceEvent[], mark: (id: string) => void): void {
  let currentFlow = '';
  let current = '';
  let decided = false;
  let errored = false;
  /** A key a subflow's menu/collect took last: back in this flow at once, it was one of this flow's global keys. */
  let childKey: string | undefined;
  for (const event of trace) {
    if (event.type === 'node') {
      // Into a subflow or back to a caller is no handler or key of this flow (their node names may coincide with ours).
      if (currentFlow === flow && current !== '' && event.flow === flow) leaving(doc, current, event, decided, errored, mark);
      if (currentFlow !== flow && event.flow === flow && childKey !== undefined) {
        const target = doc.global?.[childKey];
        if (target !== undefined && targetOf(target).goto === event.node) mark(`global:${childKey}`);
      }
      childKey = undefined;
      currentFlow = event.flow;
      current = event.node;
      decided = false;
      errored = false;
      if (currentFlow === flow) mark(`node:${current}`);
      continue;
    }
    if (currentFlow !== flow) {
      if (event.type !== 'error' && event.edge.startsWith('global:')) childKey = event.edge.slice('global:'.length);
      continue;
    }
    if (event.type === 'error') {
      errored = true;
      continue;
    }
    if (!doc.nodes[event.node]) continue;
    if (event.outcome === 'noInput') mark(`noInput:${event.node}`);
    else if (event.outcome === 'noMatch') mark(`noMatch:${event.node}`);
    else {
      decided = true;
      markEdge(event.node, event.edge, mark);
    }
  }
}

/** A menu (or collect) decided: the edge the machine says it took (`option:1`, `match:0`, `global:0`, `ok`). */
function markEdge(name: string, edge: string, mark: (id: string) => void): void {
  const [kind, rest] = [edge.slice(0, edge.indexOf(':')), edge.slice(edge.indexOf(':') + 1)];
  if (kind === 'option' || kind === 'match') mark(`${kind}:${name}:${rest}`);
  else if (kind === 'global') mark(`global:${rest}`);
}

/**
 * Leaving `from` for `to`: an error followed by a move to the onError target covers that
 * handler; a move to a global key's target with no decision recorded covers that key (the
 * engine may take a global key without an `input` command).
 */
function leaving(doc: FlowDoc, from: string, to: { flow: string; node: string }, decided: boolean, errored: boolean, mark: (id: string) => void): void {
  const node = doc.nodes[from];
  if (!node) return;
  if (errored) {
    if (node.onError !== undefined && node.onError === to.node) mark(`onError:${from}`);
    else if (node.onError === undefined && doc.onError === to.node) mark('onError:');
  }
  const spec = 'menu' in node ? node.menu : 'collect' in node ? node.collect : undefined;
  const handlerTarget = to.node === spec?.noInput?.then || to.node === spec?.noMatch?.then;
  if (!decided && spec && spec.global !== false && !handlerTarget) {
    for (const [key, target] of Object.entries(doc.global ?? {})) {
      if (targetOf(target).goto === to.node) mark(`global:${key}`);
    }
  }
}
