import type { BranchCase, CollectSpec, EndSpec, FailureHandler, FlowDoc, FlowNode, MenuSpec, NodeKind, SplitCase, Target } from './types.js';
import { nodeKind } from './types.js';

/**
 * Every way a call can move through a flow, listed once: the checks (unknown-target,
 * unreachable-node, busy-loop), the key masking (compile/sensitive.ts) and `ivr graph` all read
 * this list, so an edge the engine takes is known by all of them or by none.
 *
 * An edge is either written in the file (it has a `path` to the YAML value naming its target,
 * which a diagnostic underlines) or implied by a default the engine applies: a menu's or
 * collect's share of the flow's global keys, a `noInput`/`noMatch` without `then` (the flow's
 * onFailure, else the end), a fetch's or record's error route left to the flow's `onError`,
 * the end of the call after an `end`, `return` or a transfer without `next`.
 */

export type EdgeKind = 'start' | 'next' | 'option' | 'match' | 'global' | 'noInput' | 'noMatch' | 'onError' | 'onFailure' | 'case' | 'end';

export interface FlowEdge {
  /** The node it leaves from; undefined for the flow's own keys (start, onError, onFailure, global). */
  from: string | undefined;
  /** The node it leads to; undefined when the call (or the subflow) ends there. */
  to: string | undefined;
  kind: EdgeKind;
  /**
   * Stable id, the one `ivr test --coverage` gives the same item (src/testing/coverage.ts):
   * `option:<node>:<key>`, `match:<node>:<i>`, `global:<key>` (the flow's key and every node's
   * share of it), `noInput:<node>`, `noMatch:<node>`, `onError:<node>`, `onError:` (the flow's
   * handler); coverage does not count `next:<node>`, `case:<node>:<i>`, `end:<node>`,
   * `start:`, `onFailure:`.
   */
  key: string;
  /** What it is in the author's words, as a diagnostic names it: `next`, `option 1`, `noInput.then`, `branch[0]`... */
  role: string;
  /** What a picture of the flow writes on it: the key, the pattern, `no input`, `after DTMF`... */
  label: string;
  /** Path of the YAML value naming the target (JSON pointer segments); undefined when implied by a default. */
  path?: (string | number)[];
}

/**
 * The node a call starts at: `start`, else the first node listed. Kept per doc (a loaded doc is
 * never changed): the first name means listing every name, and the compiler asks once per subflow
 * node that calls the flow (4 000 callers of a 10 000-node flow: 8.6 s of listing).
 */
export function startNode(doc: FlowDoc): string | undefined {
  if (doc.start !== undefined) return doc.start;
  if (!firstNodes.has(doc)) firstNodes.set(doc, Object.keys(doc.nodes ?? {})[0]);
  return firstNodes.get(doc);
}

const firstNodes = new WeakMap<FlowDoc, string | undefined>();

/** Kinds that choose their own way on (menu, branch, split) or end (end, return): a `next` is never taken. */
export const NO_NEXT: ReadonlySet<NodeKind> = new Set(['menu', 'branch', 'split', 'end', 'return']);

const cache = new WeakMap<FlowDoc, readonly FlowEdge[]>();

/** The flow's edges: the flow's own keys first, then each node's in the order a picture draws them. Built once per (never mutated) doc. */
export function flowEdges(doc: FlowDoc): readonly FlowEdge[] {
  let edges = cache.get(doc);
  if (edges === undefined) {
    edges = collectEdges(doc);
    cache.set(doc, edges);
  }
  return edges;
}

type Path = (string | number)[];

/** Collects the edges of one doc; each method adds one edge (or none, for a malformed value the schema reports). */
class EdgeList {
  readonly edges: FlowEdge[] = [];
  constructor(private readonly doc: FlowDoc) {}

  /** An edge written at `path`: a node name (anything else the schema reports, and draws no edge). */
  written(from: string | undefined, value: unknown, kind: EdgeKind, key: string, role: string, label: string, path: Path): void {
    if (typeof value === 'string') this.edges.push({ from, to: value, kind, key, role, label, path });
  }

  /** Written at `path` if the author wrote it, else where the engine's default leads (undefined: the end). */
  orDefault(from: string, value: unknown, implied: string | undefined, kind: EdgeKind, key: string, role: string, label: string, path: Path): void {
    if (value === undefined) this.edges.push({ from, to: implied, kind, key, role, label });
    else this.written(from, value, kind, key, role, label, path);
  }

  /** A target written as a node name or as `{ goto, set }`. */
  target(from: string | undefined, target: Target, kind: EdgeKind, key: string, role: string, label: string, path: Path): void {
    if (typeof target === 'object' && target !== null) this.written(from, target.goto, kind, key, role, label, [...path, 'goto']);
    else this.written(from, target, kind, key, role, label, path);
  }

  /** A menu's or collect's share of the flow's global keys (all but those its own options shadow). */
  globals(from: string, shadowed: Record<string, unknown>): void {
    for (const [key, target] of Object.entries(this.doc.global ?? {})) {
      const to = typeof target === 'object' && target !== null ? target.goto : target;
      if (!Object.hasOwn(shadowed, key) && typeof to === 'string') this.edges.push({ from, to, kind: 'global', key: `global:${key}`, role: `global key ${key}`, label: `${key} (global)` });
    }
  }

  /** noInput and noMatch: their `then`, else the flow's onFailure, else the end. */
  handlers(from: string, kind: 'menu' | 'collect', spec: { noInput?: FailureHandler; noMatch?: FailureHandler }): void {
    const failure = typeof this.doc.onFailure === 'string' ? this.doc.onFailure : undefined;
    this.orDefault(from, spec.noInput?.then, failure, 'noInput', `noInput:${from}`, 'noInput.then', 'no input', ['nodes', from, kind, 'noInput', 'then']);
    this.orDefault(from, spec.noMatch?.then, failure, 'noMatch', `noMatch:${from}`, 'noMatch.then', 'no match', ['nodes', from, kind, 'noMatch', 'then']);
  }
}

function collectEdges(doc: FlowDoc): FlowEdge[] {
  const list = new EdgeList(doc);
  list.written(undefined, doc.start, 'start', 'start:', 'start', 'start', ['start']);
  list.written(undefined, doc.onError, 'onError', 'onError:', 'onError', 'error', ['onError']);
  list.written(undefined, doc.onFailure, 'onFailure', 'onFailure:', 'onFailure', 'failure', ['onFailure']);
  for (const [key, target] of Object.entries(doc.global ?? {})) list.target(undefined, target, 'global', `global:${key}`, `global key ${key}`, `${key} (global)`, ['global', key]);
  for (const [id, node] of Object.entries(doc.nodes ?? {})) nodeEdges(list, doc, id, node);
  return list.edges;
}

function nodeEdges(list: EdgeList, doc: FlowDoc, id: string, node: FlowNode): void {
  const at = ['nodes', id];
  const next = (label: string): void => list.orDefault(id, node.next, undefined, 'next', `next:${id}`, 'next', label, [...at, 'next']);
  const kind = nodeKind(node);
  switch (kind) {
    case 'play':
    case 'set':
    case 'record':
      next('next');
      break;
    case 'menu': {
      const menu = (node as { menu: MenuSpec }).menu;
      for (const [key, target] of Object.entries(menu.options ?? {})) list.target(id, target, 'option', `option:${id}:${key}`, `option ${key}`, key, [...at, 'menu', 'options', key]);
      (menu.match ?? []).forEach((rule, i) => list.written(id, rule.goto, 'match', `match:${id}:${i}`, `match[${i}]`, rule.pattern, [...at, 'menu', 'match', i, 'goto']));
      if (menu.global !== false) list.globals(id, menu.options ?? {});
      list.handlers(id, 'menu', menu);
      break;
    }
    case 'collect': {
      const collect = (node as { collect: CollectSpec }).collect;
      next(`into ${collect.into}`);
      if (collect.global !== false) list.globals(id, {});
      list.handlers(id, 'collect', collect);
      break;
    }
    case 'branch':
      (node as { branch: BranchCase[] }).branch.forEach((c, i) =>
        list.written(id, c.goto, 'case', `case:${id}:${i}`, `branch[${i}]`, c.if ?? 'else', [...at, 'branch', i, 'goto']));
      break;
    case 'split':
      (node as { split: SplitCase[] }).split.forEach((c, i) =>
        list.written(id, c.goto, 'case', `case:${id}:${i}`, `split[${i}]`, c.percent === undefined ? 'rest' : `${c.percent}%`, [...at, 'split', i, 'goto']));
      break;
    case 'subflow':
      next(`after ${(node as { subflow: { flow: string } }).subflow.flow}`);
      break;
    case 'fetch':
      next('ok');
      break;
    case 'transfer':
      // Without `next` the transfer ends this leg of the call.
      if (node.next !== undefined) next('after DTMF');
      else list.edges.push({ from: id, to: undefined, kind: 'end', key: `next:${id}`, role: 'next', label: 'transferred' });
      break;
    case 'end':
    case 'return': {
      const end = (node as { end?: EndSpec | null }).end;
      list.edges.push({ from: id, to: undefined, kind: 'end', key: `end:${id}`, role: kind, label: kind === 'return' ? 'return' : end?.reason ?? 'completed' });
      break;
    }
  }
  // A `next` on a kind that never takes it (next-not-allowed reports that) still names a node, which unknown-target checks.
  if (NO_NEXT.has(kind)) list.written(id, node.next, 'next', `next:${id}`, 'next', 'next', [...at, 'next']);
  if (kind === 'fetch' || kind === 'record' || node.onError !== undefined) {
    list.orDefault(id, node.onError, typeof doc.onError === 'string' ? doc.onError : undefined, 'onError', node.onError !== undefined ? `onError:${id}` : 'onError:', 'onError', 'error', [...at, 'onError']);
  }
}
