/**
 * Coverage across subflows (flow-tests.md, "v1.1 additions"): a subflow's nodes count when a
 * parent's tests run it, and a flow no test reaches is listed at 0% and counts toward
 * `--min-coverage`. The flows are test/testing/fixtures/files-v11: desk, whose tests run its
 * subflow pin, which has no test file of its own.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTests } from '../../src/testing/run-tests.js';
import type { FlowCoverage } from '../../src/testing/coverage.js';
import { tempDir } from '../support/temp-dir.js';

const FIXTURE = 'test/testing/fixtures/files-v11';

const summary = (coverage: readonly FlowCoverage[] | undefined) =>
  (coverage ?? []).map((c) => ({ flow: c.flow, percent: c.percent, notReached: c.items.filter((i) => !i.reached).map((i) => i.label) }));

describe('coverage across subflows', () => {
  test("a subflow with no test file is covered by its caller's cases, and below --min-coverage 90 fails the run", async () => {
    const result = await runTests([FIXTURE], { minCoverage: 90 });
    assert.equal(result.failed, 0);
    const pin = summary(result.coverage).find((c) => c.flow === 'pin');
    // desk's case "inside the subflow" runs ask and done; nothing presses a wrong code.
    assert.deepEqual(pin, { flow: 'pin', percent: 66.6, notReached: ['ask noMatch'] });
    assert.ok(result.belowMinimum.includes('pin'), JSON.stringify(result.belowMinimum));
    assert.equal(result.ok, false);
  });

  test('a flow in the folder that no test reaches is listed at 0% and fails --min-coverage', async () => {
    const dir = tempDir('ivr-coverage-');
    await cp(FIXTURE, dir, { recursive: true });
    await writeFile(join(dir, 'orphan.yaml'), 'ivr: 1\nid: orphan\nprompts:\n  goodbye: { file: goodbye.wav, text: "Goodbye." }\nnodes:\n  bye:\n    end: { prompt: goodbye }\n');
    const result = await runTests([dir], { minCoverage: 0.1 });
    assert.deepEqual(summary(result.coverage).find((c) => c.flow === 'orphan'), { flow: 'orphan', percent: 0, notReached: ['bye'] });
    assert.deepEqual(result.belowMinimum, ['orphan']);
    assert.equal(result.ok, false);
  });

  test('a flow in the folder with errors is reported with them, not measured, and fails --min-coverage (malformed nodes included)', async () => {
    const dir = tempDir('ivr-coverage-');
    await cp(FIXTURE, dir, { recursive: true });
    await writeFile(join(dir, 'listed.yaml'), 'ivr: 1\nid: listed\nnodes: [1, 2]\n');
    const result = await runTests([dir], { minCoverage: 0 });
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.line, d.message]),
      [
        ['schema-invalid-value', 3, '`nodes` must be a map; got `[1,2]`'],
        ['test-flow-has-errors', 1, "flow 'listed' has errors (run ivr validate): its coverage cannot be measured"],
      ],
    );
    assert.deepEqual(result.coverage?.map((c) => c.flow), ['desk', 'pin']);
    assert.deepEqual(result.belowMinimum, ['listed']);
    assert.equal(result.ok, false);
  });

  test('a folder of flows with no test file at all is listed at 0% and fails --min-coverage', async () => {
    const dir = tempDir('ivr-coverage-');
    for (const f of ['desk.yaml', 'pin.yaml', 'prompts']) await cp(join(FIXTURE, f), join(dir, f), { recursive: true });
    const result = await runTests([dir], { minCoverage: 90 });
    assert.deepEqual(summary(result.coverage).map((c) => [c.flow, c.percent]), [['desk', 0], ['pin', 0]]);
    assert.deepEqual(result.belowMinimum, ['desk', 'pin']);
    assert.equal(result.ok, false);
  });

  test('given one test file, coverage lists its flow and the subflows it can call, not the rest of the folder', async () => {
    const dir = tempDir('ivr-coverage-');
    await cp(FIXTURE, dir, { recursive: true });
    await writeFile(join(dir, 'orphan.yaml'), 'ivr: 1\nid: orphan\nnodes:\n  bye:\n    end: {}\n');
    const result = await runTests([join(dir, 'desk.test.yaml')], { coverage: true });
    assert.deepEqual(result.coverage?.map((c) => c.flow), ['desk', 'pin']);
  });
});
