import type { Assignments, FailureHandler, FlowDoc, FlowNode, PromptSpec, Target } from '../flow/types.js';
import { flowEdges } from '../flow/flow-edges.js';
import { nodeKind, promptItems } from '../flow/types.js';
import { pointerOf } from '../parse/flow-source.js';

/**
 * Everything in a flow that points somewhere, enumerated once with its JSON pointer, so each
 * check is a short loop over plain data. Pointers address the YAML value (or key, for set
 * targets) a diagnostic should underline.
 */

/** A reference to a node: `start`, a `next`, an option, a handler's `then`, a case's `goto`... */
export interface TargetRef {
  /** The node it leaves from; undefined for flow-level keys (start, onError, onFailure, global). */
  from: string | undefined;
  /** What the reference is, in the author's words: `next`, `option 1`, `noInput.then`... */
  role: string;
  target: string;
  pointer: string;
}

/** A place that plays prompts: a `play`, a `prompt`, a `reprompt`, a handler's `prompt`. */
export interface PromptRef {
  node: string | undefined;
  spec: PromptSpec;
  pointer: string;
}

/** The names an expression may use besides the flow's vars (flow-language.md, "Expressions"). */
export type ContextName = 'input' | 'response' | 'call' | 'now' | 'env' | 'language';

export interface ExprRef {
  node: string | undefined;
  text: string;
  /** `expr`: the whole string is CEL; `template`: text with `{{ }}` parts. */
  form: 'expr' | 'template';
  extra: ContextName[];
  pointer: string;
  /** For an assignment's value (`set: { name: <expr> }`): the variable it is stored in. */
  assigns?: string;
}

/** A variable written by the flow: a `set` key, `collect.into`, `record.into`, subflow `output`. */
export interface AssignRef {
  node: string | undefined;
  name: string;
  pointer: string;
  /** Whether the pointer is a key (`set: { name: ... }`) or a value (`into: name`). */
  part: 'key' | 'value';
}

/** The names every expression sees besides the flow's vars. */
export const BASE: ContextName[] = ['call', 'now', 'env', 'language'];
const WITH_INPUT: ContextName[] = ['input', ...BASE];

/*
 * Several checks walk the same references (targets: unknown-target, busy-loop, unreachable-node;
 * prompts: prompt-audio, long-prompt, and the expressions inside them; nodes: nearly all), so each list is built once
 * per document. A loaded doc is never mutated, which is what makes caching by identity sound.
 */
const nodeEntriesCache = new WeakMap<FlowDoc, [string, FlowNode][]>();
const targetRefsCache = new WeakMap<FlowDoc, TargetRef[]>();
const promptRefsCache = new WeakMap<FlowDoc, PromptRef[]>();
const exprRefsCache = new WeakMap<FlowDoc, ExprRef[]>();
const assignRefsCache = new WeakMap<FlowDoc, AssignRef[]>();

/**
 * Lets go of the lists built for `doc` (they are rebuilt if asked for again). The front end
 * calls it once a flow's own checks are done, and again after the checks of the whole set: the
 * lists are about the size of the flow's YAML tree again (~110 KB for a 50-node flow) and nothing
 * that runs calls needs them, while the doc stays loaded for as long as its flow serves.
 */
export function forgetWalks(doc: FlowDoc): void {
  for (const cache of walkCaches()) cache.delete(doc);
}

/** `read(doc)` (which may ask for walks of `doc`), keeping no list it built: for readers after the checks (the compiler). */
export function readWalks<T>(doc: FlowDoc, read: (doc: FlowDoc) => T): T {
  const built = walkCaches().filter((cache) => !cache.has(doc));
  try {
    return read(doc);
  } finally {
    for (const cache of built) cache.delete(doc);
  }
}

function walkCaches(): WeakMap<FlowDoc, unknown>[] {
  return [nodeEntriesCache, targetRefsCache, promptRefsCache, exprRefsCache, assignRefsCache];
}

function memo<T>(cache: WeakMap<FlowDoc, T>, doc: FlowDoc, build: () => T): T {
  let value = cache.get(doc);
  if (value === undefined) {
    value = build();
    cache.set(doc, value);
  }
  return value;
}

/** The flow's nodes as [name, node] pairs, listed once per doc (most checks loop over them). */
export function nodeEntries(doc: FlowDoc): readonly [string, FlowNode][] {
  return memo(nodeEntriesCache, doc, () => Object.entries(doc.nodes ?? {}));
}

/** The node names written in the file (the graph's written edges, flow/flow-edges.ts), each with its pointer. */
export function targetRefs(doc: FlowDoc): readonly TargetRef[] {
  return memo(targetRefsCache, doc, () => flowEdges(doc).flatMap((e) =>
    e.path !== undefined && e.to !== undefined ? [{ from: e.from, role: e.role, target: e.to, pointer: pointerOf(...e.path) }] : []));
}

export function promptRefs(doc: FlowDoc): readonly PromptRef[] {
  return memo(promptRefsCache, doc, () => collectPromptRefs(doc));
}

function collectPromptRefs(doc: FlowDoc): PromptRef[] {
  const refs: PromptRef[] = [];
  const push = (node: string, spec: PromptSpec | undefined, ...path: (string | number)[]): void => {
    if (spec !== undefined) refs.push({ node, spec, pointer: pointerOf(...path) });
  };
  for (const [name, node] of nodeEntries(doc)) {
    const kind = nodeKind(node);
    if ('play' in node) push(name, node.play, 'nodes', name, 'play');
    const spec = (node as unknown as Record<string, unknown>)[kind] as Record<string, unknown> | null;
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || kind === 'play' || kind === 'set') continue;
    push(name, spec.prompt as PromptSpec | undefined, 'nodes', name, kind, 'prompt');
    push(name, spec.reprompt as PromptSpec | undefined, 'nodes', name, kind, 'reprompt');
    for (const handler of ['noInput', 'noMatch']) {
      const failure = spec[handler] as FailureHandler | undefined;
      push(name, failure?.prompt, 'nodes', name, kind, handler, 'prompt');
      (failure?.prompts ?? []).forEach((entry, i) => push(name, entry, 'nodes', name, kind, handler, 'prompts', i));
    }
  }
  return refs;
}

/** The pointer of each item of a prompt spec (a single item is the spec itself). */
export function promptItemPointers(ref: PromptRef): string[] {
  return Array.isArray(ref.spec) ? ref.spec.map((_, i) => `${ref.pointer}/${i}`) : [ref.pointer];
}

export function exprRefs(doc: FlowDoc): readonly ExprRef[] {
  return memo(exprRefsCache, doc, () => collectExprRefs(doc));
}

function collectExprRefs(doc: FlowDoc): ExprRef[] {
  const refs: ExprRef[] = [];
  const expr = (node: string | undefined, text: unknown, extra: ContextName[], ...path: (string | number)[]): void => {
    if (typeof text === 'string') refs.push({ node, text, form: 'expr', extra, pointer: pointerOf(...path) });
  };
  const template = (node: string | undefined, text: unknown, ...path: (string | number)[]): void => {
    if (typeof text === 'string') refs.push({ node, text, form: 'template', extra: BASE, pointer: pointerOf(...path) });
  };
  const assignments = (node: string | undefined, set: Assignments | undefined, extra: ContextName[], ...path: (string | number)[]): void => {
    for (const [name, text] of Object.entries(set ?? {})) {
      if (typeof text === 'string') refs.push({ node, text, form: 'expr', extra, pointer: pointerOf(...path, name), assigns: name });
    }
  };
  const target = (node: string | undefined, t: Target, extra: ContextName[], ...path: (string | number)[]): void => {
    if (typeof t !== 'string') assignments(node, t.set, extra, ...path, 'set');
  };
  const bodyTemplates = (node: string, value: unknown, ...path: (string | number)[]): void => {
    if (typeof value === 'string') template(node, value, ...path);
    else if (Array.isArray(value)) value.forEach((v, i) => bodyTemplates(node, v, ...path, i));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) bodyTemplates(node, v, ...path, k);
  };

  for (const [key, t] of Object.entries(doc.global ?? {})) target(undefined, t, WITH_INPUT, 'global', key);
  for (const ref of promptRefs(doc)) {
    promptItems(ref.spec).forEach((item, i) => {
      const at = Array.isArray(ref.spec) ? [i] : [];
      if (typeof item === 'object' && 'digits' in item) expr(ref.node, item.digits, BASE, ...pathOf(ref.pointer), ...at, 'digits');
      if (typeof item === 'object' && 'number' in item) expr(ref.node, item.number, BASE, ...pathOf(ref.pointer), ...at, 'number');
    });
  }
  for (const [name, node] of nodeEntries(doc)) {
    const at = ['nodes', name];
    if ('set' in node) assignments(name, node.set, BASE, ...at, 'set');
    if ('menu' in node) {
      for (const [key, t] of Object.entries(node.menu.options ?? {})) target(name, t, WITH_INPUT, ...at, 'menu', 'options', key);
      (node.menu.match ?? []).forEach((rule, i) => assignments(name, rule.set, WITH_INPUT, ...at, 'menu', 'match', i, 'set'));
    }
    if ('collect' in node) expr(name, node.collect.valid, WITH_INPUT, ...at, 'collect', 'valid');
    if ('branch' in node) {
      node.branch.forEach((c, i) => {
        expr(name, c.if, BASE, ...at, 'branch', i, 'if');
        assignments(name, c.set, BASE, ...at, 'branch', i, 'set');
      });
    }
    if ('fetch' in node) {
      template(name, node.fetch.url, ...at, 'fetch', 'url');
      for (const [h, v] of Object.entries(node.fetch.headers ?? {})) template(name, v, ...at, 'fetch', 'headers', h);
      bodyTemplates(name, node.fetch.body, ...at, 'fetch', 'body');
      assignments(name, node.fetch.set, ['response', ...BASE], ...at, 'fetch', 'set');
    }
    if ('transfer' in node) template(name, node.transfer.dtmf, ...at, 'transfer', 'dtmf');
    // subflow.input is stored in the child's vars (typed with the whole flow set, check/flow-set.ts): not an assignment here.
    if ('subflow' in node) for (const [n, t] of Object.entries(node.subflow.input ?? {})) expr(name, t, BASE, ...at, 'subflow', 'input', n);
    // subflow.output is CEL over the child's vars: checked with the whole flow set (check/subflows.ts).
  }
  return refs;
}

export function assignRefs(doc: FlowDoc): readonly AssignRef[] {
  return memo(assignRefsCache, doc, () => collectAssignRefs(doc));
}

function collectAssignRefs(doc: FlowDoc): AssignRef[] {
  const refs: AssignRef[] = [];
  const keys = (node: string | undefined, set: Assignments | undefined, ...path: (string | number)[]): void => {
    for (const name of Object.keys(set ?? {})) refs.push({ node, name, pointer: pointerOf(...path, name), part: 'key' });
  };
  const target = (node: string | undefined, t: Target, ...path: (string | number)[]): void => {
    if (typeof t !== 'string') keys(node, t.set, ...path, 'set');
  };
  for (const [key, t] of Object.entries(doc.global ?? {})) target(undefined, t, 'global', key);
  for (const [name, node] of nodeEntries(doc)) {
    const at = ['nodes', name];
    if ('set' in node) keys(name, node.set, ...at, 'set');
    if ('menu' in node) {
      for (const [key, t] of Object.entries(node.menu.options ?? {})) target(name, t, ...at, 'menu', 'options', key);
      (node.menu.match ?? []).forEach((rule, i) => keys(name, rule.set, ...at, 'menu', 'match', i, 'set'));
    }
    if ('collect' in node) refs.push({ node: name, name: node.collect.into, pointer: pointerOf(...at, 'collect', 'into'), part: 'value' });
    if ('record' in node && node.record?.into !== undefined) refs.push({ node: name, name: node.record.into, pointer: pointerOf(...at, 'record', 'into'), part: 'value' });
    if ('branch' in node) node.branch.forEach((c, i) => keys(name, c.set, ...at, 'branch', i, 'set'));
    if ('fetch' in node) keys(name, node.fetch.set, ...at, 'fetch', 'set');
    if ('subflow' in node) keys(name, node.subflow.output, ...at, 'subflow', 'output');
  }
  return refs;
}

function pathOf(pointer: string): string[] {
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Adds `to` to the list of `from` in an adjacency map: in place, so a node with many ways out
 * (a menu of 30 000 options) costs linear time, not a copy of the list per edge.
 */
export function addEdge<T>(edges: Map<string, T[]>, from: string, to: T): void {
  const list = edges.get(from);
  if (list === undefined) edges.set(from, [to]);
  else list.push(to);
}
