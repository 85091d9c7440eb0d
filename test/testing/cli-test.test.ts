import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/run-cli.js';

/** `ivr test` as CI runs it: the real launcher, a real process, its output and exit code. */
function ivrProcess(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/ivr.js', 'test', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `ivr test` through the same command table, in this process (test/support/run-cli.ts). */
function ivr(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return runCli(['test', ...args]);
}

describe('ivr test (command line)', () => {
  test('exits 1 on a failing case, the last line counting passes and failures', () => {
    const r = ivrProcess('test/testing/fixtures/small/wrong.test.yaml');
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').at(-1), '0 passed, 1 failed');
  });

  test('--format json prints the results as data', async () => {
    const r = await ivr('test/testing/fixtures/small/wrong.test.yaml', '--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    const data = JSON.parse(r.stdout) as { passed: number; failed: number; files: { cases: { failure: { step: number; line: number; col: number } }[] }[] };
    assert.deepEqual([data.passed, data.failed], [0, 1]);
    assert.deepEqual(data.files[0]!.cases[0]!.failure.step, 5);
    // Where the failing step is written: `      - expect: { play: [goodbye] }` on line 10.
    assert.deepEqual([data.files[0]!.cases[0]!.failure.line, data.files[0]!.cases[0]!.failure.col], [10, 9]);
  });

  test('usage errors exit 2', async () => {
    assert.equal((await ivr('--min-coverage', 'lots')).status, 2);
    assert.equal((await ivr('no/such/folder')).status, 2);
  });
});

describe('ivr test given a flow file', () => {
  test('runs the tests beside it', async () => {
    const r = await ivr('flows/verify-dob.yaml');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /flows\/verify-dob\.test\.yaml \(flow verify-dob\)/);
  });

  test('says so when the flow has no tests', async () => {
    const r = await ivr('test/testing/fixtures/small/pin.yaml');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /pin\.test\.yaml:1:1: error: no such test file \[test-file-unreadable\]/);
  });
});
