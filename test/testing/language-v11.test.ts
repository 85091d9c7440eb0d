import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTests } from '../../src/testing/run-tests.js';
import { renderText } from '../../src/testing/render-results.js';
import { fixtureWithTests } from './support/fixture-tests.js';
import { tempDir } from '../support/temp-dir.js';

/** Flow-language v1.1 through `ivr test`: the fixture flows in test/testing/fixtures/v11 and their cases. */
const FIXTURE = 'test/testing/fixtures/v11';

/** The v11 fixture flows in a fresh folder, with `yaml` as lang.test.yaml. */
function withCases(yaml: string): Promise<string> {
  return fixtureWithTests(FIXTURE, 'lang.test.yaml', `flow: lang\n${yaml}`);
}

describe('flow-language v1.1 in ivr test', () => {
  test('the fixture cases pass', async () => {
    const result = await runTests([FIXTURE]);
    assert.equal(result.failed, 0, renderText(result));
    assert.ok(result.passed >= 5);
  });

  test('start.callId picks the split bucket: a case expecting the other branch fails', async () => {
    const dir = tempDir('ivr-v11-');
    await cp(FIXTURE, dir, { recursive: true });
    const file = join(dir, 'split.test.yaml');
    await writeFile(file, `flow: split
cases:
  - name: call-3 is not in the rest
    start: { callId: call-3 }
    steps:
      - expect: { node: old_greeting }
`);
    const result = await runTests([file]);
    assert.equal(result.failed, 1);
    assert.deepEqual(result.files[0]!.cases[0]!.failure!.mismatches, [{ key: 'node', expected: 'old_greeting', actual: 'new_greeting' }]);
  });

  test('an escalation step expected out of order fails at that step', async () => {
    const file = await withCases(`
cases:
  - name: second no-input plays the second entry
    steps:
      - played
      - wait: 5s
      - expect: { play: [main_menu, no_input, main_menu] }
      - played
      - wait: 5s
      - expect: { play: [no_input, main_menu] }
`);
    const result = await runTests([file]);
    assert.equal(result.failed, 1);
    assert.deepEqual(result.files[0]!.cases[0]!.failure!.mismatches, [{ key: 'play', expected: ['no_input', 'main_menu'], actual: ['no_input', 'welcome', 'main_menu'] }]);
  });
});
