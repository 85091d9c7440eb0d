import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticAt } from '../parse/diagnostic-at.js';
import { defaultLanguage, flowLanguages } from '../flow/languages.js';
import type { FlowDoc } from '../flow/types.js';
import { pointerOf } from '../parse/flow-source.js';
import type { FlowSource } from '../parse/flow-source.js';
import type { VarType } from '../parse/var-types.js';
import type { ExprApi } from './expr-api.js';
import { checkExprRef } from './expressions.js';
import { BASE, addEdge, nodeEntries } from './flow-walk.js';
import { keysTakenFirst } from './global-key-in-collect.js';
import { components } from './strongly-connected.js';
import { reportDeepSubflows } from './subflow-depth.js';
import { assignmentMismatch } from './type-mismatch.js';


/** A flow as the set-level checks see it (only schema-valid flows take part). */
export interface SetMember {
  id: string;
  source: FlowSource;
  doc: FlowDoc;
  varTypes: Record<string, VarType>;
  diagnostics: Diagnostic[];
}

/** A subflow node's call, from a flow of the set to a known flow. */
interface SubflowCall {
  from: SetMember;
  node: string;
  child: string;
}

/**
 * Rules that need every flow: a subflow names a known flow, subflows do not call each other in
 * a cycle nor nest deeper than MAX_SUBFLOW_DEPTH, `subflow.input` sets the child's declared vars
 * and `subflow.output` reads them.
 */
export function checkFlowSet(members: readonly SetMember[], knownIds: ReadonlySet<string>, expr: ExprApi): void {
  const byId = new Map(members.map((m) => [m.id, m]));
  const calls: SubflowCall[] = [];
  for (const from of members) {
    for (const [node, spec] of nodeEntries(from.doc)) {
      if (!('subflow' in spec)) continue;
      const child = spec.subflow.flow;
      const report = (code: Parameters<typeof diagnosticAt>[1], pointer: string, message: string, part: 'key' | 'value' = 'value'): void => {
        from.diagnostics.push(diagnosticAt(from.source, code, pointer, message, part));
      };
      if (!knownIds.has(child)) {
        report('unknown-subflow', pointerOf('nodes', node, 'subflow', 'flow'), `node \`${node}\`: subflow \`${child}\` is not a flow: no flow given has this id and there is no ${child}.yaml beside this flow${didYouMean(child, knownIds)}`);
        continue;
      }
      calls.push({ from, node, child });
      const target = byId.get(child);
      if (target === undefined) continue; // the child has errors of its own
      const missing = flowLanguages(from.doc).filter((language) => !flowLanguages(target.doc).includes(language));
      if (missing.length > 0) {
        report('subflow-language', pointerOf('nodes', node, 'subflow', 'flow'), `node \`${node}\`: subflow \`${child}\` does not speak ${missing.map((l) => `\`${l}\``).join(', ')}: those callers hear it in \`${defaultLanguage(target.doc)}\` (add the language to its settings.languages)`);
      }
      const childVars = Object.keys(target.doc.vars ?? {});
      for (const [name, text] of Object.entries(spec.subflow.input ?? {})) {
        const variable = target.varTypes[name];
        if (variable !== undefined) {
          const pointer = pointerOf('nodes', node, 'subflow', 'input', name);
          const mismatch = assignmentMismatch(from.source, expr, { pointer, name, variable, text, env: { vars: from.varTypes, extra: BASE } });
          if (mismatch) from.diagnostics.push(mismatch);
        }
        if (childVars.includes(name)) continue;
        report(
          'undeclared-assignment',
          pointerOf('nodes', node, 'subflow', 'input', name),
          `node \`${node}\`: subflow input \`${name}\` is not a variable of flow \`${child}\`${didYouMean(name, childVars)}`,
          'key',
        );
      }
      for (const [name, text] of Object.entries(spec.subflow.output ?? {})) {
        const ref = { node, text, form: 'expr' as const, extra: BASE, pointer: pointerOf('nodes', node, 'subflow', 'output', name) };
        const found = checkExprRef(from.source, expr, target.varTypes, ref);
        from.diagnostics.push(...found);
        const variable = from.varTypes[name];
        if (found.length > 0 || variable === undefined) continue;
        const mismatch = assignmentMismatch(from.source, expr, { pointer: ref.pointer, name, variable, text, env: { vars: target.varTypes, extra: BASE } });
        if (mismatch) from.diagnostics.push(mismatch);
      }
    }
  }
  const recursive = reportRecursion(calls);
  // Before the walk below, which recurses once per level: a set nesting deeper has errors to fix first.
  if (reportDeepSubflows(calls, recursive)) return;
  reportGlobalKeysInSubflowCollects(calls, byId, recursive.size === 0);
}

/**
 * A caller's global key stays active inside its subflows (flow-language v1.1): when it is a digit
 * a collect down there accepts first, entries starting with it cannot be typed. Reported on the
 * subflow node (the child may be called from flows without global keys), like global-key-in-collect.
 */
function reportGlobalKeysInSubflowCollects(calls: SubflowCall[], byId: Map<string, SetMember>, acyclic: boolean): void {
  const keysTaken = collectsTakingKeys(byId, acyclic);
  for (const call of calls) {
    const spec = call.from.doc.nodes[call.node];
    if (!spec || !('subflow' in spec) || spec.subflow.global === false) continue;
    const keys = Object.keys(call.from.doc.global ?? {}).filter((key) => key.length === 1);
    for (const [key, { collect, flow }] of keysTaken(call.child, keys, call.from.id)) {
      call.from.diagnostics.push(diagnosticAt(call.from.source, 'global-key-in-collect', pointerOf('nodes', call.node, 'subflow'),
        `node \`${call.node}\`: global key \`${key}\` stays active inside subflow \`${call.child}\`, where collect \`${collect}\` of flow \`${flow}\` accepts it as a first digit, so an entry there cannot start with ${key}; set \`global: false\` on this subflow node or on that collect, or use another global key`, 'key'));
    }
  }
}

/** Each key a collect takes first, with the first such collect (and its flow) in walk order. */
type KeysTaken = ReadonlyMap<string, { collect: string; flow: string }>;

const NONE: KeysTaken = new Map();

/**
 * `(child, keys, caller)`: the collects of `child` and the subflows it calls (through subflow
 * nodes that keep global keys) that take one of the still-active `keys` first, the first collect
 * per key. Each flow is looked at once per set of keys still active in it, for all callers at
 * once when no subflows recurse (a flow reached along many paths or from many subflow nodes,
 * fan^n paths n levels deep, is walked once); with recursion (an error of its own) once per
 * caller, which also stops at the caller and at a flow already being walked.
 */
function collectsTakingKeys(byId: Map<string, SetMember>, acyclic: boolean): (child: string, keys: string[], caller: string) => KeysTaken {
  const shared = new Map<string, KeysTaken>();
  return (child, keys, caller) => {
    const known = acyclic ? shared : new Map<string, KeysTaken>();
    const walking = new Set<string>();
    const visit = (id: string, live: string[]): KeysTaken => {
      const flow = byId.get(id);
      const state = `${id}\n${live.join('')}`;
      if (!flow || id === caller || walking.has(state)) return NONE;
      const done = known.get(state);
      if (done) return done;
      walking.add(state);
      const taken = new Map<string, { collect: string; flow: string }>();
      const active = live.filter((key) => !(key in (flow.doc.global ?? {}))); // the child's own keys win
      for (const [name, node] of nodeEntries(flow.doc)) {
        if ('subflow' in node && node.subflow.global !== false) {
          for (const [key, where] of visit(node.subflow.flow, active)) if (!taken.has(key)) taken.set(key, where);
        }
        if (!('collect' in node) || node.collect.global === false) continue;
        for (const key of keysTakenFirst(node.collect, active)) if (!taken.has(key)) taken.set(key, { collect: name, flow: id });
      }
      walking.delete(state);
      known.set(state, taken);
      return taken;
    };
    return visit(child, keys);
  };
}

/**
 * Reports each subflow call that leads back to its caller (caller and child in one cycle:
 * strongly-connected.ts); returns those calls. Linear in the calls however the flows are wired,
 * and each message quotes a bounded path: a ring of thousands of files gets one short error per file.
 */
function reportRecursion(calls: SubflowCall[]): Set<SubflowCall> {
  const edges = new Map<string, SubflowCall[]>();
  for (const c of calls) addEdge(edges, c.from.id, c);
  const component = components(edges.keys(), (id) => (edges.get(id) ?? []).map((c) => c.child));
  const cycles = new Map<number, (from: string, child: string) => string[]>();
  const recursive = new Set<SubflowCall>();
  for (const call of calls) {
    const n = component.get(call.from.id)!;
    if (component.get(call.child) !== n) continue;
    recursive.add(call);
    let what = `flow \`${call.from.id}\` calls itself`;
    if (call.child !== call.from.id) {
      if (!cycles.has(n)) cycles.set(n, cycleWalks([...component].flatMap(([id, m]) => (m === n ? [id] : [])), edges));
      const ids = cycles.get(n)!(call.from.id, call.child);
      const shown = ids.length <= 6 ? ids : [...ids.slice(0, 4), '…', ids.at(-1)!];
      what = `subflow \`${call.child}\` leads back to \`${call.from.id}\` (${shown.map((id) => (id === '…' ? id : `\`${id}\``)).join(' → ')})`;
    }
    call.from.diagnostics.push(
      diagnosticAt(call.from.source, 'recursive-subflow', pointerOf('nodes', call.node, 'subflow', 'flow'), `node \`${call.node}\`: ${what}; subflows cannot recurse`),
    );
  }
  return recursive;
}

/** A cycle small enough to search per call; a larger one (only a generated set has one) is walked through one root. */
const SEARCHED_CYCLE = 64;

/**
 * For the flows of one cycle (a strongly connected component), `(from, child)`: a walk
 * `from → child → … → from` along subflow calls. Up to SEARCHED_CYCLE flows, the shortest (a
 * search per call). Above, its first ids towards the cycle's first flow and then `…` and `from`:
 * one search for the whole cycle and a few steps per call, so a ring of thousands of files costs
 * linear time.
 */
function cycleWalks(members: string[], edges: ReadonlyMap<string, readonly SubflowCall[]>): (from: string, child: string) => string[] {
  const inside = new Set(members);
  const out = (id: string): string[] => (edges.get(id) ?? []).map((c) => c.child).filter((to) => inside.has(to));
  if (members.length <= SEARCHED_CYCLE) return (from, child) => [from, ...shortestPath(child, from, out)];
  const root = members[0]!;
  const into = new Map<string, string[]>();
  for (const id of members) for (const to of out(id)) addEdge(into, to, id);
  const toRoot = searchFrom(root, (id) => into.get(id) ?? []); // each flow's next step towards the root
  return (from, child) => {
    const ids = [from, child];
    for (let id = child; ids.length < 4 && id !== root && id !== from; ) ids.push((id = toRoot.get(id)!.step));
    return ids.at(-1) === from ? ids : [...ids, '…', from];
  };
}

/** Breadth-first from `start`: for each flow reached, the neighbour it was reached through. */
function searchFrom(start: string, next: (id: string) => readonly string[]): Map<string, { step: string }> {
  const found = new Map<string, { step: string }>([[start, { step: start }]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const to of next(id)) {
      if (found.has(to)) continue;
      found.set(to, { step: id });
      queue.push(to);
    }
  }
  return found;
}

/** The ids from `from` to `to` (inclusive) along `next`, shortest; `to` is reachable (one cycle). */
function shortestPath(from: string, to: string, next: (id: string) => readonly string[]): string[] {
  const found = searchFrom(from, next);
  const path = [to];
  while (path[0] !== from) path.unshift(found.get(path[0]!)!.step);
  return path;
}
