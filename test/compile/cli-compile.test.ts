import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePaths } from '../../src/cli/compile.js';

describe('ivr compile', () => {
  test('returns the machine config of each given flow as plain data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-compile-'));
    writeFileSync(join(dir, 'hello.yaml'), 'ivr: 1\nnodes:\n  bye:\n    end: { reason: done }\n');
    const report = await compilePaths([join(dir, 'hello.yaml')]);
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.machines.length, 1);
    const config = report.machines[0]!.config as { id: string; states: { call: { initial: string } } };
    assert.equal(config.id, 'flow:hello');
    assert.equal(config.states.call.initial, 'bye');
    assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
  });

  test('a flow with errors is not compiled and its errors are reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-compile-'));
    writeFileSync(join(dir, 'broken.yaml'), 'ivr: 1\nnodes:\n  a: { play: x, next: nowhere }\n');
    const report = await compilePaths([dir]);
    assert.equal(report.machines.length, 0);
    assert.ok(report.diagnostics.some((d) => d.severity === 'error' && d.file.endsWith('broken.yaml')));
  });
});
