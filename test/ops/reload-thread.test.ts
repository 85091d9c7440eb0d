/**
 * The reload thread's answer for a flow over --max-flow-states: a `flow-too-large` error like any
 * other flow error, reported with its file and line for every flow over the bound, and the set
 * refused as a broken edit is (the previous flows keep serving).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFlowReloader } from '../../src/ops/reload.js';
import { createReloadThread, type ReloadThread } from '../../src/ops/reload-thread.js';
import { generateFlowYaml } from '../bench/generate-flows.js';
import { E2E_FLOW, E2E_PROMPTS } from '../e2e/fixture-flows.js';
import { writeFixture, type Fixture } from '../support/e2e-harness.js';

describe('a reload with flows over --max-flow-states', () => {
  let fixture: Fixture;
  let thread: ReloadThread;
  before(async () => {
    fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW }, E2E_PROMPTS);
    thread = createReloadThread({ maxFlowStates: 300 });
  });
  after(async () => {
    await thread.close();
    await fixture.cleanup();
  });

  test('is refused with a flow-too-large error for each, at its file and line, as any flow error is; the previous flows keep serving', async () => {
    const first = await thread.load([fixture.dir]);
    assert.deepEqual([first.failure, first.diagnostics.filter((d) => d.severity === 'error')], [undefined, []]);
    assert.ok(first.value);
    const reports: string[] = [];
    const reloader = createFlowReloader(first.value, { paths: [fixture.dir], load: (paths) => thread.load(paths), report: (t) => reports.push(t), cwd: fixture.dir });

    // About 4.4 states a node: both are over 300; e2e is not.
    await writeFile(join(fixture.dir, 'big-a.yaml'), generateFlowYaml('big_a', 100));
    await writeFile(join(fixture.dir, 'big-b.yaml'), generateFlowYaml('big_b', 100));
    const outcome = await reloader.reload();

    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok);
    assert.equal(outcome.reason, undefined, 'not a failure of the load itself');
    assert.deepEqual(outcome.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file.slice(fixture.dir.length + 1)}:${d.line}`), ['flow-too-large big-a.yaml:1', 'flow-too-large big-b.yaml:1']);
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
