import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cp } from 'node:fs/promises';
import { runTests } from '../../src/testing/run-tests.js';
import { renderText } from '../../src/testing/render-results.js';
import { tempDir } from '../support/temp-dir.js';

const FIXTURE = 'test/testing/fixtures/small';

/** A copy of the small fixture flow in a fresh folder, with this test file beside it. */
async function withTestFile(yaml: string): Promise<string> {
  const dir = tempDir('ivr-test-');
  await cp(join(FIXTURE, 'small.yaml'), join(dir, 'small.yaml'));
  await cp(join(FIXTURE, 'prompts'), join(dir, 'prompts'), { recursive: true });
  const file = join(dir, 'small.test.yaml');
  await writeFile(file, yaml);
  return file;
}

describe('ivr test runner', () => {
  test('a wrong expectation fails naming file, case, step, expected vs actual, with the transcript', async () => {
    const result = await runTests([join(FIXTURE, 'wrong.test.yaml')]);
    assert.equal(result.failed, 1);
    assert.equal(result.passed, 0);
    assert.equal(result.ok, false);
    const failure = result.files[0]!.cases[0]!.failure!;
    assert.equal(failure.step.index, 5);
    assert.equal(failure.step.line, 10);
    assert.deepEqual(failure.mismatches, [{ key: 'play', expected: ['goodbye'], actual: ['sales'] }]);

    const text = renderText(result);
    assert.match(text, /test\/testing\/fixtures\/small\/wrong\.test\.yaml:10: case "sales says goodbye", step 5 \(expect: \{"play":\["goodbye"\]\}\)/);
    assert.match(text, /expected: \["goodbye"\]\n\s+actual:\s+\["sales"\]/);
    // The transcript tells the story so far: prompts with their words, keys, node changes.
    assert.match(text, /play welcome {2}"Welcome to the small line\."/);
    assert.match(text, /caller presses 1/);
    assert.match(text, /node sales/);
    assert.match(text, /play sales {2}"Our sales team is out\."/);
    assert.ok(text.endsWith('0 passed, 1 failed\n'), text);
  });

  test('minutes of simulated timeouts take milliseconds', async () => {
    const file = await withTestFile(`
cases:
  - name: two silences at the menu end the call
    steps:
      - played
      - wait: 10m
      - expect: { node: goodbye, end: completed }
`);
    const started = performance.now();
    const result = await runTests([file]);
    const ms = performance.now() - started;
    assert.equal(result.failed, 0, renderText(result));
    assert.equal(result.passed, 1);
    assert.ok(ms < 3000, `took ${ms} ms`);
    const transcript = result.files[0]!.cases[0]!.transcript.map((t) => t.text);
    assert.ok(transcript.includes('play no_input  "Sorry, I did not hear anything."'), transcript.join('\n'));
  });

  test('a fetch with no canned answer stays pending, then times out in simulated time', async () => {
    const file = await withTestFile(`
cases:
  - name: the balance service never answers
    steps:
      - expect: { play: [welcome] }
      - played
      - expect: { play: [main_menu] }
      - press: "2"
      - expect: { node: lookup, fetch: "GET https://api.example.com/balance", play: [one_moment] }
      - played
      - wait: 9s
      - expect: { node: lookup, nothing: true }
      - wait: 1s
      - expect: { node: sorry, play: [sorry] }
      - played
      - expect: { end: error }
`);
    const result = await runTests([file]);
    assert.equal(result.failed, 0, renderText(result));
  });

  test('a canned answer is used at once, within the step that asked', async () => {
    const file = await withTestFile(`
cases:
  - name: the balance is read out
    fetch:
      "GET https://api.example.com/balance": { status: 200, body: { balance: 42.5 } }
    steps:
      - played
      - press: "2"
      - expect: { fetch: "GET https://api.example.com/balance", node: say_balance, vars: { balance: 42.5 } }
  - name: a failed fetch goes to onError
    steps:
      - played
      - press: "2"
      - fetchFails: 503
      - expect: { node: sorry }
`);
    const result = await runTests([file]);
    assert.equal(result.failed, 0, renderText(result));
    assert.equal(result.passed, 2);
  });

  test('coverage lists what no case reached, with a percentage', async () => {
    const file = await withTestFile(`
cases:
  - name: sales
    steps:
      - played
      - press: "1"
      - expect: { node: sales }
`);
    const result = await runTests([file], { coverage: true, minCoverage: 50 });
    assert.equal(result.failed, 0, renderText(result));
    const coverage = result.coverage![0]!;
    // 8 nodes + options "1", "2" + global "0" + main noInput, main noMatch, flow onError.
    assert.equal(coverage.total, 14);
    // greet, main, sales and option "1" (goodbye is entered only after sales has played).
    assert.equal(coverage.reached, 4);
    assert.equal(coverage.percent, 28.5);
    assert.deepEqual(result.belowMinimum, ['small']);
    assert.equal(result.ok, false);
    const text = renderText(result);
    assert.match(text, /small \(.*small\.yaml\): 28\.5% \(4\/14\)\s+\(below --min-coverage 50\)/);
    assert.match(text, /nodes not reached: lookup, say_balance, operator, sorry, goodbye/);
    assert.match(text, /options not reached: main option "2", global key "0"/);
    assert.match(text, /handlers not reached: main noInput, main noMatch, flow onError/);
  });
});

describe('the small fixture flow', () => {
  test('its hand-written tests pass and reach every node, option and handler', async () => {
    const result = await runTests([join(FIXTURE, 'small.test.yaml')], { coverage: true, minCoverage: 100 });
    assert.equal(result.failed, 0, renderText(result));
    assert.equal(result.passed, 7);
    assert.deepEqual(
      result.coverage!.map((c) => [c.flow, c.percent, c.reached, c.total]),
      [['small', 100, 14, 14]],
    );
    assert.equal(result.ok, true);
  });
});

describe('sensitive collects', () => {
  test('digits typed into a sensitive collect appear nowhere in a failure', async () => {
    const result = await runTests([join(FIXTURE, 'pin-wrong.test.yaml')]);
    assert.equal(result.failed, 1);
    const text = renderText(result);
    assert.match(text, /vars:\n\s+expected: \{"pin":"9999"\}\n\s+actual:\s+\{"pin":"\*\*\*"\}/);
    assert.match(text, /caller presses \*/);
    assert.doesNotMatch(text, /1234|presses [1-4]/);
  });
});

describe('test files that cannot run', () => {
  test('a test file naming a flow that does not exist fails the run with a diagnostic', async () => {
    const file = await withTestFile(`
flow: smal
cases:
  - name: anything
    steps:
      - played
`);
    const result = await runTests([file]);
    assert.equal(result.ok, false);
    assert.equal(result.failed, 1);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.file, d.line, d.message]),
      [['test-unknown-flow', file, 1, "no flow 'smal' beside this test file — did you mean 'small'?"]],
    );
    assert.match(renderText(result), /small\.test\.yaml:1:1: error: no flow 'smal' beside this test file/);
  });

  test('a schema error is reported with its position and nothing runs', async () => {
    const file = await withTestFile(`
cases:
  - name: typo
    steps:
      - press: "1"
      - expect: { plays: [welcome] }
`);
    const result = await runTests([file]);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.line, d.col, d.message]),
      [['test-schema', 6, 19, "unknown key 'plays' in cases[1].steps[2].expect"]],
    );
    assert.equal(result.passed + result.failed, 0);
  });
});
