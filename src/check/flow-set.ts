import { didYouMean } from '../diagnostics/did-you-mean.js';
import { defaultLanguage, flowLanguages } from '../flow/languages.js';
import type { FlowDoc } from '../flow/types.js';
import { pointerOf } from '../parse/flow-source.js';
import type { FlowSource } from '../parse/flow-source.js';
import type { VarType } from '../parse/var-types.js';
import type { ExprApi } from './expr-api.js';
import { checkExprRef } from './expressions.js';
import { BASE, addEdge, nodeEntries } from './flow-walk.js';
import { keysTakenFirst } from './global-key-in-collect.js';
import { subflowCycles } from './subflow-cycles.js';
import { reportDeepSubflows, type SubflowCall as Call } from './subflow-depth.js';
import { assignmentMismatch } from './type-mismatch.js';
import type { Reporter } from './check-context.js';


/** A flow as the set-level checks see it (only schema-valid flows take part). */
export interface SetMember {
  id: string;
  source: FlowSource;
  doc: FlowDoc;
  varTypes: Record<string, VarType>;
  /** Where the set's checks put its findings: the reporter of the flow's own checks (check-context.ts), so the limit per code is the file's. */
  report: Reporter;
}

type SubflowCall = Call<SetMember>;

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
      const report = from.report;
      if (!knownIds.has(child)) {
        report('unknown-subflow', pointerOf('nodes', node, 'subflow', 'flow'), () => `node \`${node}\`: subflow \`${child}\` is not a flow: no flow given has this id and there is no ${child}.yaml beside this flow${didYouMean(child, knownIds)}`);
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
          if (mismatch) report.raw(mismatch);
        }
        if (childVars.includes(name)) continue;
        report(
          'undeclared-assignment',
          pointerOf('nodes', node, 'subflow', 'input', name),
          () => `node \`${node}\`: subflow input \`${name}\` is not a variable of flow \`${child}\`${didYouMean(name, childVars)}`,
          'key',
        );
      }
      for (const [name, text] of Object.entries(spec.subflow.output ?? {})) {
        const ref = { node, text, form: 'expr' as const, extra: BASE, pointer: pointerOf('nodes', node, 'subflow', 'output', name) };
        const found = checkExprRef(from.source, expr, target.varTypes, ref);
        for (const f of found) report.found(f.code, f.make);
        const variable = from.varTypes[name];
        if (found.length > 0 || variable === undefined) continue;
        const mismatch = assignmentMismatch(from.source, expr, { pointer: ref.pointer, name, variable, text, env: { vars: target.varTypes, extra: BASE } });
        if (mismatch) report.raw(mismatch);
      }
    }
  }
  const recursive = reportRecursion(calls);
  // What follows reads the calls a machine makes: a call on a cycle compiles as a node that fails
  // (compile/called-flow.ts). Without them the calls form no cycle, so each walk below ends.
  const runs = calls.filter((call) => !recursive.has(call));
  // Before the walk below, which recurses once per level: a set nesting deeper has errors to fix first.
  if (reportDeepSubflows(runs)) return;
  reportGlobalKeysInSubflowCollects(runs, byId);
}

/**
 * A caller's global key stays active inside its subflows (flow-language v1.1): when it is a digit
 * a collect down there accepts first, entries starting with it cannot be typed. Reported on the
 * subflow node (the child may be called from flows without global keys), like global-key-in-collect.
 * `runs`: the set's calls but those on a cycle (recursive-subflow: fixed first, then these warnings).
 */
function reportGlobalKeysInSubflowCollects(runs: SubflowCall[], byId: Map<string, SetMember>): void {
  const followed = new Set(runs.map((call) => `${call.from.id}\n${call.node}`));
  const keysTaken = collectsTakingKeys(byId, (flow, node) => followed.has(`${flow}\n${node}`));
  for (const call of runs) {
    const spec = call.from.doc.nodes[call.node];
    if (!spec || !('subflow' in spec) || spec.subflow.global === false) continue;
    const keys = Object.keys(call.from.doc.global ?? {}).filter((key) => key.length === 1);
    for (const [key, { collect, flow }] of keysTaken(call.child, keys)) {
      call.from.report('global-key-in-collect', pointerOf('nodes', call.node, 'subflow'),
        `node \`${call.node}\`: global key \`${key}\` stays active inside subflow \`${call.child}\`, where collect \`${collect}\` of flow \`${flow}\` accepts it as a first digit, so an entry there cannot start with ${key}; set \`global: false\` on this subflow node or on that collect, or use another global key`, 'key');
    }
  }
}

/** Where a key is taken first: the collect (and its flow), in walk order. */
interface TakenAt {
  collect: string;
  flow: string;
}

/**
 * `(child, keys)`: for each of the still-active `keys` that a collect of `child` or of the
 * subflows it calls (through subflow nodes that keep global keys and that `follows`: no call on a
 * cycle, so every walk ends, at most MAX_SUBFLOW_DEPTH deep) accepts as a first digit, the first
 * such collect in walk order. Known per flow and per key, for all callers at once: each flow's
 * nodes are read at most once for each key (16 at most), however many callers, subflow nodes and
 * orders or subsets of keys reach it (fan^n paths n levels deep, 2^16 sets of keys).
 */
function collectsTakingKeys(byId: Map<string, SetMember>, follows: (flow: string, node: string) => boolean): (child: string, keys: readonly string[]) => Map<string, TakenAt> {
  const known = new Map<string, Map<string, TakenAt | null>>();
  const visit = (id: string, keys: readonly string[]): Map<string, TakenAt> => {
    const flow = byId.get(id);
    if (!flow) return new Map();
    let cache = known.get(id);
    if (cache === undefined) known.set(id, (cache = new Map()));
    const missing = keys.filter((key) => !cache.has(key));
    if (missing.length > 0) {
      for (const key of missing) cache.set(key, null);
      const own = flow.doc.global ?? {};
      let open = missing.filter((key) => !(key in own)); // the child's own keys win
      for (const [name, node] of nodeEntries(flow.doc)) {
        if (open.length === 0) break;
        const found: [string, TakenAt][] = [];
        if ('subflow' in node && node.subflow.global !== false && follows(id, name)) found.push(...visit(node.subflow.flow, open));
        if ('collect' in node && node.collect.global !== false) {
          for (const key of keysTakenFirst(node.collect, open)) found.push([key, { collect: name, flow: id }]);
        }
        for (const [key, where] of found) if (cache.get(key) === null && open.includes(key)) cache.set(key, where);
        open = open.filter((key) => cache.get(key) === null);
      }
    }
    const taken = new Map<string, TakenAt>();
    for (const key of keys) {
      const where = cache.get(key);
      if (where) taken.set(key, where);
    }
    return taken;
  };
  return visit;
}

/**
 * Reports each subflow call that leads back to its caller (check/subflow-cycles.ts); returns
 * those calls. Each message quotes at most 5 flows of the cycle: a ring of thousands of files
 * gets one short error per file.
 */
function reportRecursion(calls: SubflowCall[]): Set<SubflowCall> {
  const edges = new Map<string, string[]>();
  for (const c of calls) addEdge(edges, c.from.id, c.child);
  const cycles = subflowCycles(edges.keys(), (id) => edges.get(id) ?? []);
  const recursive = new Set<SubflowCall>();
  for (const call of calls) {
    if (!cycles.onCycle(call.from.id, call.child)) continue;
    recursive.add(call);
    let what = `flow \`${call.from.id}\` calls itself`;
    if (call.child !== call.from.id) {
      const ids = cycles.walk(call.from.id, call.child);
      const shown = ids.length <= 6 ? ids : [...ids.slice(0, 4), '…', ids.at(-1)!];
      what = `subflow \`${call.child}\` leads back to \`${call.from.id}\` (${shown.map((id) => (id === '…' ? id : `\`${id}\``)).join(' → ')})`;
    }
    call.from.report('recursive-subflow', pointerOf('nodes', call.node, 'subflow', 'flow'), `node \`${call.node}\`: ${what}; subflows cannot recurse`);
  }
  return recursive;
}
