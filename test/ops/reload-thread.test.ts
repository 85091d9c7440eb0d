/**
 * The reload thread's answer for a flow over --max-flow-states: a `flow-too-large` error like any
 * other flow error, reported with its file and line for every flow over the bound, and the set
 * refused as a broken edit is (the previous flows keep serving). Subflows nesting deeper than
 * MAX_SUBFLOW_DEPTH are refused the same way, with `subflow-too-deep`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_SUBFLOW_DEPTH } from '../../src/check/subflow-depth.js';
import { createFlowReloader } from '../../src/ops/reload.js';
import { createReloadThread, type ReloadThread } from '../../src/ops/reload-thread.js';
import { generateFlowYaml, writeFlows } from '../bench/generate-flows.js';
import { E2E_FLOW, E2E_PROMPTS } from '../e2e/fixture-flows.js';
import { writeFixture, type Fixture } from '../support/e2e-harness.js';

/** For a describe block: a folder with the e2e flow and a reload thread over it with `maxFlowStates`, closed after. */
function e2eReloads(maxFlowStates: number): { fixture: Fixture; thread: ReloadThread } {
  const r = {} as { fixture: Fixture; thread: ReloadThread };
  before(async () => {
    r.fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW }, E2E_PROMPTS);
    r.thread = createReloadThread({ maxFlowStates });
  });
  after(async () => {
    await r.thread.close();
    await r.fixture.cleanup();
  });
  return r;
}

describe('a reload with flows over --max-flow-states', () => {
  const r = e2eReloads(300);

  test('is refused with a flow-too-large error for each, at its file and line, as any flow error is; the previous flows keep serving', async () => {
    const first = await r.thread.load([r.fixture.dir]);
    assert.deepEqual([first.failure, first.diagnostics.filter((d) => d.severity === 'error')], [undefined, []]);
    assert.ok(first.value);
    const reports: string[] = [];
    const reloader = createFlowReloader(first.value, { paths: [r.fixture.dir], load: (paths) => r.thread.load(paths), report: (t) => reports.push(t), cwd: r.fixture.dir });

    // About 4.4 states a node: both are over 300; e2e is not.
    await writeFile(join(r.fixture.dir, 'big-a.yaml'), generateFlowYaml('big_a', 100));
    await writeFile(join(r.fixture.dir, 'big-b.yaml'), generateFlowYaml('big_b', 100));
    const outcome = await reloader.reload();

    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok);
    assert.equal(outcome.reason, undefined, 'not a failure of the load itself');
    assert.deepEqual(outcome.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file.slice(r.fixture.dir.length + 1)}:${d.line}`), ['flow-too-large big-a.yaml:1', 'flow-too-large big-b.yaml:1']);
    assert.match(outcome.diagnostics.find((d) => d.code === 'flow-too-large')!.message, /^flow big_a compiles to \d+ states, over --max-flow-states 300/);
    // Printed as `ivr validate` prints it; /readyz shows the same diagnostics.
    assert.match(reports.at(-1) ?? '', /^big-a\.yaml:1:1: error flow-too-large flow big_a compiles to/m);
    assert.match(reports.at(-1) ?? '', /^big-b\.yaml:1:1: error flow-too-large flow big_b compiles to/m);
    const status = reloader.status();
    assert.equal(status.ok, false);
    assert.equal(status.failed?.errors, 2);
    assert.deepEqual(Object.keys(status.versions), ['e2e'], 'the previous set keeps serving');
    assert.equal(reloader.current(), first.value);
    await reloader.close();
  });
});

describe('a reload with subflows nested deeper than MAX_SUBFLOW_DEPTH', () => {
  // No size bound in the way: the nesting bound is what refuses the chain.
  const r = e2eReloads(1_000_000);

  /** `depth` flows, each calling the next as a subflow. */
  const writeChain = async (prefix: string, depth: number): Promise<void> => {
    for (let level = 0; level < depth - 1; level++) {
      await writeFile(join(r.fixture.dir, `${prefix}${level}.yaml`), `ivr: 1\nid: ${prefix}${level}\nnodes:\n  s: { subflow: { flow: ${prefix}${level + 1} }, next: done }\n  done: { return: {} }\n`);
    }
    await writeFile(join(r.fixture.dir, `${prefix}${depth - 1}.yaml`), `ivr: 1\nid: ${prefix}${depth - 1}\nnodes:\n  done: { return: {} }\n`);
  };

  test('is refused with a subflow-too-deep error at each flow over the bound, and the previous flows keep serving; a chain within the bound loads and builds on the serving thread', async () => {
    const first = await r.thread.load([r.fixture.dir]);
    assert.ok(first.value);
    const reports: string[] = [];
    const reloader = createFlowReloader(first.value, { paths: [r.fixture.dir], load: (paths) => r.thread.load(paths), report: (t) => reports.push(t), cwd: r.fixture.dir });

    // ok0 nests MAX_SUBFLOW_DEPTH levels, the most a flow may.
    await writeChain('ok', MAX_SUBFLOW_DEPTH + 1);
    const fine = await reloader.reload();
    assert.equal(fine.ok, true, JSON.stringify(fine.ok ? '' : [fine.reason, fine.diagnostics]));
    const served = reloader.current().flows.get('ok0')!;
    assert.ok(served.machine, 'built on the serving thread');

    // 3000 flows: before the bound, the worker's stack overflowed while loading them, and the set was
    // refused as "stack overflow while loading", naming no file. Now each flow over the bound is named,
    // at its subflow node, before anything is built.
    await writeChain('deep', 3000);
    const outcome = await reloader.reload();
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok);
    assert.equal(outcome.reason, undefined, 'not a failure of the load itself');
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
    // deep0 … deep2966 nest more than MAX_SUBFLOW_DEPTH levels; deep2967 exactly that.
    assert.equal(errors.length, 2999 - MAX_SUBFLOW_DEPTH);
    assert.ok(errors.every((d) => d.code === 'subflow-too-deep'));
    assert.deepEqual(errors.map((d) => `${d.file.slice(r.fixture.dir.length + 1)}:${d.line}:${d.col}`).slice(0, 2), ['deep0.yaml:4:25', 'deep1.yaml:4:25']);
    assert.match(errors[0]!.message, /^node `s`: calling subflow `deep1` nests 2999 levels of subflows \(`deep1` → `deep2` → `deep3` → …\), over the 32 a flow may nest/);
    assert.match(reports.at(-1) ?? '', /^deep0\.yaml:4:25: error subflow-too-deep node `s`: calling subflow `deep1`/m);
    assert.equal(reloader.current().flows.get('deep0'), undefined, 'the previous flows keep serving');
    assert.equal(reloader.current().flows.get('ok0'), served);
    await reloader.close();
  });
});

describe('a set whose machines together are more than the worker may hold', () => {
  test("loads: each machine is built to check the compiler and let go, so the heap holds one, not the set's", async () => {
    // 120 flows of 50 nodes: ~0.7 MB of machine each, 84 MB together, over the 64 MB the worker may
    // use; the flows themselves and the front end's working set fit. When the worker kept every
    // machine until its reply, this load was stopped as over its memory budget.
    const fixture = await writeFixture({}, E2E_PROMPTS);
    const thread = createReloadThread({ memoryMb: 64 });
    try {
      writeFlows(fixture.dir, 120, 50);
      const loaded = await thread.load([fixture.dir]);
      assert.equal(loaded.failure, undefined);
      assert.deepEqual(loaded.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.equal(loaded.value?.flows.size, 120);
    } finally {
      await thread.close();
      await fixture.cleanup();
    }
  });
});
