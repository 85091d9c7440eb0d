/**
 * The size rule (compile/flow-size.ts): the count equals the states of the compiled machine, and
 * is made from each flow's own config, never from an inlined machine, so flows that nest
 * subflows many times over are measured (and refused) without being built.
 */
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { MAX_SUBFLOW_DEPTH } from '../../src/check/subflow-depth.js';
import { compileFlow } from '../../src/compile/index.js';
import { countStates, flowSizeDiagnostics, stateCounter } from '../../src/compile/flow-size.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { prepareFlows, prepareWholeSet } from '../../src/pipeline/prepare-flows.js';
import { flowDir as tempFlowDir } from '../check/flow-dir.js';
import { validatePaths } from '../../src/cli/validate.js';

/**
 * `depth` flows l0 … l<depth-1>, each calling the next from `fan` subflow nodes, and a last one
 * that returns (after a sensitive collect, with `leafCollect`): the machine of l0 repeats the
 * last flow fan^(depth-1) times. With `global`, every calling flow has the global key 1.
 */
function nestedFlows(depth: number, fan: number, o: { global?: boolean; leafCollect?: boolean } = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (let level = 0; level < depth - 1; level++) {
    const nodes = Array.from({ length: fan }, (_, i) => `  s${i}: { subflow: { flow: l${level + 1} }, next: ${i + 1 < fan ? `s${i + 1}` : 'done'} }`);
    files[`l${level}.yaml`] = ['ivr: 1', `id: l${level}`, ...(o.global ? ['global: { "1": done }'] : []), 'nodes:', ...nodes, '  done: { return: {} }', ''].join('\n');
  }
  const leaf = o.leafCollect ? ['vars: { pin: "" }', 'nodes:', '  ask: { collect: { into: pin, max: 4, sensitive: true }, next: done }'] : ['nodes:'];
  files[`l${depth - 1}.yaml`] = ['ivr: 1', `id: l${depth - 1}`, ...leaf, '  done: { return: {} }', ''].join('\n');
  return files;
}

/** The folders written here, removed at the end. */
const written: string[] = [];
const flowDir = (files: Record<string, string>): string => {
  const dir = tempFlowDir(files);
  written.push(dir);
  return dir;
};
after(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

describe('the flow size count', () => {
  test('equals the states of the compiled machine: shipped flows, subflows inlined, nested subflows', async () => {
    const sets = [
      await loadFlows(['flows']),
      await loadFlows(['test/testing/fixtures/v11', 'test/testing/fixtures/files-v11']),
      await loadFlows([join('test/fixtures/broken/flow-too-large.d/part.yaml'), 'test/fixtures/broken/flow-too-large.yaml']),
      await loadFlows([flowDir(nestedFlows(3, 3))]),
      await loadFlows([flowDir(nestedFlows(3, 2, { global: true, leafCollect: true }))]),
    ];
    let compared = 0;
    for (const set of sets) {
      const count = stateCounter(set);
      for (const flow of set.flows.values()) {
        if (hasErrors(flow.diagnostics)) continue;
        assert.equal(count(flow), countStates(compileFlow(flow, set).machine.config), `flow ${flow.id}`);
        compared++;
      }
    }
    assert.ok(compared >= 10, `${compared} flows compared`);
  });

  test('seven small files nesting subflows eight times a level: counted from the files, reported, and refused before anything is compiled', async () => {
    const dir = flowDir(nestedFlows(7, 8));
    const set = await loadFlows([dir]);
    assert.deepEqual([...set.flows.values()].flatMap((f) => f.diagnostics), []);
    const count = stateCounter(set);
    const levels = Array.from({ length: 7 }, (_, k) => count(set.flows.get(`l${k}`)!));
    // As the small nesting above shows compiled: a flow's machine is its root states plus its
    // nodes; the last flow's nodes are `done` (2 states); each other level holds 8 subflow nodes
    // (node, enter, run: 3 states each, plus the next level's nodes inside run) and `done`.
    const root = levels[6]! - 2;
    for (let k = 0; k < 6; k++) assert.equal(levels[k], root + 8 * (3 + levels[k + 1]! - root) + 2, `level ${k}`);
    const l0 = set.flows.get('l0')!;
    assert.ok(count(l0) > 8 ** 6, `${count(l0)} states`);

    const found = flowSizeDiagnostics(set, 2000);
    assert.deepEqual(found.map((d) => d.message.match(/^flow (l\d) compiles to (\d+) states/)?.slice(1)), [
      ['l0', String(count(l0))], ['l1', String(count(set.flows.get('l1')!))], ['l2', String(count(set.flows.get('l2')!))], ['l3', String(count(set.flows.get('l3')!))],
    ]);

    const served = await prepareWholeSet([dir], { maxFlowStates: 2000 });
    assert.equal(served.value, undefined);
    assert.deepEqual(served.diagnostics.map((d) => d.code), ['flow-too-large', 'flow-too-large', 'flow-too-large', 'flow-too-large']);

    // ivr test, ivr call and replay (prepareFlows): the same errors at the server's default bound,
    // and the flows under it compiled; before, l0 was inlined whole (out of memory).
    const tested = await prepareFlows([dir]);
    assert.deepEqual(tested.diagnostics.map((d) => `${d.code} ${basename(d.file)}`), ['flow-too-large l0.yaml', 'flow-too-large l1.yaml', 'flow-too-large l2.yaml', 'flow-too-large l3.yaml']);
    assert.deepEqual([...tested.value.compiled.keys()].sort(), ['l4', 'l5', 'l6']);

    // Another flow's error does not switch the bound off.
    const withBroken = await prepareFlows([flowDir({ ...nestedFlows(7, 8), 'broken.yaml': 'ivr: 1\nid: broken\nnodes:\n  a: { end: {}, next: nowhere }\n' })]);
    assert.deepEqual(withBroken.diagnostics.filter((d) => d.code === 'flow-too-large').length, 4);
  });

  test('twenty files nesting subflows eight times a level, with global keys and a sensitive collect at the bottom: validate looks at each flow once', { timeout: 120_000 }, async () => {
    const dir = flowDir(nestedFlows(20, 8, { global: true, leafCollect: true }));
    const report = await validatePaths([dir]);
    const byCode = (code: string) => report.diagnostics.filter((d) => d.code === code);
    // l0 … l16 are over the bound; l17 (two levels above the collect) and below fit.
    assert.deepEqual(byCode('flow-too-large').map((d) => basename(d.file, '.yaml')).sort(), Array.from({ length: 17 }, (_, k) => `l${k}`).sort());
    assert.match(byCode('flow-too-large').find((d) => d.file.endsWith('l0.yaml'))!.message, /^flow l0 compiles to more than 9007199254740991 states/);
    // The callers' key 1 is shadowed by each level's own, except in l18, whose 8 subflow nodes lead to the collect.
    assert.deepEqual([...new Set(byCode('global-key-in-collect').map((d) => basename(d.file)))], ['l18.yaml']);
    assert.equal(byCode('global-key-in-collect').length, 8);
  });

  test('a chain of subflows as deep as they may nest: each flow\'s config built once, and no walk of the flows it calls', async () => {
    // 33 flows: l0 nests MAX_SUBFLOW_DEPTH levels; a deeper chain is subflow-too-deep, neither counted nor compiled.
    const set = await loadFlows([flowDir(nestedFlows(MAX_SUBFLOW_DEPTH + 1, 1))]);
    assert.deepEqual([...set.flows.values()].flatMap((f) => f.diagnostics), []);
    // Building a flow's config lists its nodes; finding its secrets would list those of every flow below it too.
    const listings = new Map<string, number>();
    for (const flow of set.flows.values()) {
      flow.doc.nodes = new Proxy(flow.doc.nodes, { ownKeys: (nodes) => (listings.set(flow.id, (listings.get(flow.id) ?? 0) + 1), Reflect.ownKeys(nodes)) });
    }
    // The whole set, as validate and serve count it.
    assert.deepEqual(flowSizeDiagnostics(set, 1_000_000), []);
    const count = stateCounter(set);
    assert.equal(count(set.flows.get('l0')!), count(set.flows.get('l1')!) + 5, 'each level adds its own states: the subflow state, its run, return and done');
    const most = Math.max(...listings.values());
    // A few times whatever the depth (count, keys, prompts); finding secrets listed the last flows ~4 times per flow above them (1 208 times for a chain of 300, before the nesting bound).
    assert.ok(most <= 20, `a flow's nodes were listed ${most} times`);
  });
});
