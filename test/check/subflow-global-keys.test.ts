import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reporter } from '../../src/check/check-context.js';
import { MAX_SAME_MISTAKES } from '../../src/parse/yaml-mistakes.js';
import { checkFlowSet, type SetMember } from '../../src/check/flow-set.js';
import { exprApi } from '../../src/check/expr-api.js';
import type { FlowDoc } from '../../src/flow/types.js';
import { readSource } from '../../src/parse/flow-source.js';
import { varTypes } from '../../src/parse/var-types.js';
import { allDiagnostics, loadSet } from './flow-dir.js';

const caller = (subflow: string) => `ivr: 1
global: { "0": operator }
nodes:
  pin:
    subflow: ${subflow}
    next: bye
  operator: { end: { reason: operator } }
  bye: { end: {} }
`;
const child = (global = '') => `ivr: 1
vars: { pin: "" }
${global}nodes:
  ask:
    collect: { prompt: hello, into: pin, min: 4, max: 4 }
    next: done
  done: { return: {} }
  help: { play: hello, next: ask }
`;

async function found(files: Record<string, string>): Promise<string[]> {
  const set = await loadSet({ ...files, 'prompts/hello.wav': 'test/fixtures/broken/prompts/hello.wav' }, ['caller.yaml']);
  return allDiagnostics(set).filter((d) => d.code !== 'unreachable-node').map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);
}

describe("a caller's global digit inside a subflow's collect", () => {
  test('is a warning on the subflow node: entries there cannot start with it', async () => {
    const [d, ...rest] = await found({ 'caller.yaml': caller('{ flow: check }'), 'check.yaml': child() });
    assert.deepEqual(rest, []);
    assert.match(d!, /^global-key-in-collect 5:5 node `pin`: global key `0` stays active inside subflow `check`, where collect `ask` of flow `check` accepts it as a first digit/);
  });

  test('is fine with global: false on the subflow node, or when the child has its own key', async () => {
    assert.deepEqual(await found({ 'caller.yaml': caller('{ flow: check, global: false }'), 'check.yaml': child() }), []);
    // The child's own "0" wins inside it: only the child's own warning about its own key remains.
    const own = await found({ 'caller.yaml': caller('{ flow: check }'), 'check.yaml': child('global: { "0": help }\n') });
    assert.deepEqual(own.map((f) => f.split(' ').slice(0, 2).join(' ')), ['global-key-in-collect 6:5']);
    assert.doesNotMatch(own[0]!, /stays active inside/);
  });

  test('a caller\'s `*` and a collect whose pattern takes `*` first: the same rule as the flow\'s own global keys', async () => {
    const star = (s: string): string => s.replace('"0": operator', '"*": operator');
    const patterned = child().replace('min: 4, max: 4', 'min: 4, max: 4, pattern: "^[*0-9]+$"');
    const inside = await found({ 'caller.yaml': star(caller('{ flow: check }')), 'check.yaml': patterned });
    assert.equal(inside.length, 1);
    assert.match(inside[0]!, /^global-key-in-collect 5:5 node `pin`: global key `\*` stays active inside subflow `check`/);
    // The same collect with its own `*`: reported by the flow's own check, as before.
    const own = await found({ 'caller.yaml': caller('{ flow: check, global: false }'), 'check.yaml': child('global: { "*": help }\n').replace('min: 4, max: 4', 'min: 4, max: 4, pattern: "^[*0-9]+$"') });
    assert.deepEqual(own.map((f) => f.split(' ').slice(0, 2).join(' ')), ['global-key-in-collect 6:5']);
    // Without a pattern a collect takes digits only: `*` is no conflict, here or inside.
    assert.deepEqual(await found({ 'caller.yaml': star(caller('{ flow: check }')), 'check.yaml': child() }), []);
  });
});

/** A caller with `n` subflow nodes calling `child`, one after another. */
const manyCalls = (n: number, child: string): string => `ivr: 1
global: { "0": operator }
nodes:
${Array.from({ length: n }, (_, i) => `  call_${i}:\n    subflow: { flow: ${child} }\n    next: ${i + 1 < n ? `call_${i + 1}` : 'bye'}\n`).join('')}  operator: { end: { reason: operator } }
  bye: { end: {} }
`;
/** A subflow that only calls `child`. */
const passing = (child: string): string => `ivr: 1
nodes:
  inner:
    subflow: { flow: ${child} }
    next: done
  done: { return: {} }
`;

describe('the global-key walk with many subflow nodes', () => {
  test('warns on each of 200 subflow nodes, through a subflow that calls the collect\'s flow, naming that collect', async () => {
    const found = (await loadSet({ 'caller.yaml': manyCalls(200, 'mid'), 'mid.yaml': passing('check'), 'check.yaml': child(), 'prompts/hello.wav': 'test/fixtures/broken/prompts/hello.wav' }, ['caller.yaml']));
    const warnings = allDiagnostics(found).filter((d) => d.code === 'global-key-in-collect');
    // The first MAX_SAME_MISTAKES listed, the last counting the other 180 (check-context.ts `reporter`).
    assert.equal(reported(warnings, 'global-key-in-collect'), 200);
    assert.deepEqual(warnings.map((d) => d.line), Array.from({ length: MAX_SAME_MISTAKES }, (_, i) => 5 + 3 * i));
    for (const d of warnings) assert.match(d.message, /^node `call_\d+`: global key `0` stays active inside subflow `mid`, where collect `ask` of flow `check` accepts it/);
  });

  test('with recursive subflows: the recursion reported, and a walk never follows a call on the cycle', async () => {
    // caller, mid and check call each other around (check calls caller back): every call among them is
    // recursive-subflow, fixed first. outside calls check from off the cycle: warned about check's own
    // collect; check's call back to caller is not followed (before, each caller walked around the cycle).
    const looping = child().replace('  done: { return: {} }', '  done: { return: {} }\n  again:\n    subflow: { flow: caller }\n    next: done');
    const found = await loadSet({ 'caller.yaml': manyCalls(3, 'mid'), 'mid.yaml': passing('check'), 'check.yaml': looping, 'outside.yaml': manyCalls(1, 'check'), 'prompts/hello.wav': 'test/fixtures/broken/prompts/hello.wav' }, ['caller.yaml', 'outside.yaml']);
    const codes = allDiagnostics(found).filter((d) => d.code === 'global-key-in-collect' || d.code === 'recursive-subflow').map((d) => `${d.code} ${d.file.split('/').pop()}:${d.line}`);
    assert.deepEqual(codes.sort(), [
      'global-key-in-collect outside.yaml:5',
      'recursive-subflow caller.yaml:11', 'recursive-subflow caller.yaml:5', 'recursive-subflow caller.yaml:8',
      'recursive-subflow check.yaml:9', 'recursive-subflow mid.yaml:4',
    ]);
  });

  test('with recursive subflows, one walk for all callers: a call on the cycle is not followed', async () => {
    // b and d call each other (recursive-subflow on both calls); c calls b, x calls d, from off the cycle.
    // c is warned about b's own collect; x is not, since d reaches that collect only through its call
    // back to b. Walks are shared between callers: with the cycle's calls left out, none is cut short.
    const calling = (to: string): string => `ivr: 1\nglobal: { "0": z }\nnodes:\n  s:\n    subflow: { flow: ${to} }\n    next: z\n  z: { end: {} }\n`;
    const b = `ivr: 1\nvars: { v: "" }\nnodes:\n  s:\n    subflow: { flow: d }\n    next: k\n  k:\n    collect: { prompt: hello, into: v, min: 1, max: 4 }\n    next: z\n  z: { return: {} }\n`;
    const d = `ivr: 1\nnodes:\n  s:\n    subflow: { flow: b }\n    next: z\n  z: { return: {} }\n`;
    const set = await loadSet({ 'c.yaml': calling('b'), 'x.yaml': calling('d'), 'b.yaml': b, 'd.yaml': d, 'prompts/hello.wav': 'test/fixtures/broken/prompts/hello.wav' }, ['c.yaml', 'x.yaml']);
    const warned = allDiagnostics(set).filter((w) => w.code === 'global-key-in-collect' || w.code === 'recursive-subflow').map((w) => `${w.file.split('/').pop()}: ${w.code === 'recursive-subflow' ? w.code : w.message.split(' as a first digit')[0]}`);
    assert.deepEqual(warned.sort(), [
      'b.yaml: recursive-subflow',
      'c.yaml: node `s`: global key `0` stays active inside subflow `b`, where collect `k` of flow `b` accepts it',
      'd.yaml: recursive-subflow',
    ]);
  });

  test("looks at the child's collect once for all 100 subflow nodes, not once per node, also with a cycle elsewhere in the set", async () => {
    const expr = await exprApi();
    const member = (file: string, text: string, nodes?: (doc: FlowDoc) => FlowDoc['nodes']): SetMember & { diagnostics: Diagnostic[] } => {
      const source = readSource(file, text);
      const doc = source.data as FlowDoc;
      return { id: file.replace('.yaml', ''), source, doc: nodes ? { ...doc, nodes: nodes(doc) } : doc, varTypes: varTypes(source, doc), ...findings(source) };
    };
    let looks = 0;
    const counted = (doc: FlowDoc): FlowDoc['nodes'] => ({
      ...doc.nodes,
      ask: new Proxy(doc.nodes.ask!, { get: (node, key, receiver) => (key === 'collect' && looks++, Reflect.get(node, key, receiver)) }),
    });
    const members = [member('caller.yaml', manyCalls(100, 'check')), member('check.yaml', child(), counted)];
    checkFlowSet(members, new Set(['caller', 'check']), expr);
    assert.equal(reported(members[0]!.diagnostics, 'global-key-in-collect'), 100);
    // A look reads `collect` twice (its `global`, then what it takes first).
    assert.ok(looks <= 2, `the collect was looked at ${looks / 2} times`);

    // The same with an unrelated 2-cycle in the set: before, any recursion made each call walk on its own.
    looks = 0;
    const withCycle = [member('caller.yaml', manyCalls(100, 'check')), member('check.yaml', child(), counted), member('p.yaml', passing('q')), member('q.yaml', passing('p'))];
    checkFlowSet(withCycle, new Set(['caller', 'check', 'p', 'q']), expr);
    assert.equal(reported(withCycle[0]!.diagnostics, 'global-key-in-collect'), 100);
    assert.equal(withCycle.flatMap((m) => m.diagnostics).filter((d) => d.code === 'recursive-subflow').length, 2);
    assert.ok(looks <= 2, `with a cycle elsewhere, the collect was looked at ${looks / 2} times`);

    // 24 callers, each with the keys * # A B in another order (and 1, which objects list first), through a
    // subflow: known per key, not per ordered set of keys (before, 24 looks; 16 keys make thousands of orders and subsets).
    looks = 0;
    const orders = (keys: string[]): string[][] => (keys.length <= 1 ? [keys] : keys.flatMap((k, i) => orders([...keys.slice(0, i), ...keys.slice(i + 1)]).map((rest) => [k, ...rest])));
    const callers = orders(['*', '#', 'A', 'B']).map((keys, i) => member(`c${i}.yaml`, `ivr: 1\nglobal: { ${[...keys, '1'].map((k) => `"${k}": z`).join(', ')} }\nnodes:\n  s: { subflow: { flow: mid }, next: z }\n  z: { end: {} }\n`));
    const ordered = [...callers, member('mid.yaml', passing('check')), member('check.yaml', child(), counted)];
    checkFlowSet(ordered, new Set(ordered.map((m) => m.id)), expr);
    assert.equal(callers.length, 24);
    for (const c of callers) assert.deepEqual(c.diagnostics.map((d) => /global key `(.)`/.exec(d.message)![1]), ['1']);
    assert.ok(looks <= 2, `for 24 orders of the same keys, the collect was looked at ${looks / 2} times`);
  });
});

/** A member's reporter, and the findings it collects (in a load they are the flow's `diagnostics`). */
function findings(source: Parameters<typeof reporter>[0]): { diagnostics: Diagnostic[]; report: ReturnType<typeof reporter> } {
  const diagnostics: Diagnostic[] = [];
  return { diagnostics, report: reporter(source, diagnostics) };
}

/** How many findings of `code` a file has: those listed, plus the count the last one gives of the rest. */
function reported(diagnostics: Diagnostic[], code: string): number {
  const listed = diagnostics.filter((d) => d.code === code);
  const more = new RegExp(` \\(and (\\d+) more \`${code}\` findings? in this file\\)$`).exec(listed.at(-1)?.message ?? '');
  return listed.length + Number(more?.[1] ?? 0);
}
