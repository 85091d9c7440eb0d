/**
 * Flow test files v1.1 (flow-tests.md, "v1.1 additions"): file-level defaults, start.at, the
 * language header, `end: hangup`, the running flow and its variables inside a subflow, `{ say }`
 * items. The flows are test/testing/fixtures/files-v11 (desk, with the subflow pin).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFlow } from '../../src/compile/compile-flow.js';
import { renderText } from '../../src/testing/render-results.js';
import { parseTestFile } from '../../src/testing/load-tests.js';
import { runCase } from '../../src/testing/run-case.js';
import { runTests } from '../../src/testing/run-tests.js';
import { flowSet, loadedFlow } from '../compile/harness.js';
import { fakePrompts } from '../call/support/fake-prompts.js';
import { runCli } from '../support/run-cli.js';
import { fixtureWithTests } from './support/fixture-tests.js';

const FIXTURE = 'test/testing/fixtures/files-v11';

/** The fixture's flows in a fresh folder, with `yaml` as desk.test.yaml. */
function deskTests(yaml: string): Promise<string> {
  return fixtureWithTests(FIXTURE, 'desk.test.yaml', `flow: desk\n${yaml}`);
}

describe('flow test files v1.1', () => {
  test('the fixture cases pass', async () => {
    const result = await runTests([FIXTURE]);
    assert.equal(result.failed, 0, renderText(result));
    assert.equal(result.passed, 5);
  });

  test("defaults reach every case; a case's own keys win, maps merged with the case's entries first", () => {
    const { value, diagnostics } = parseTestFile(
      '/flows/desk.test.yaml',
      `defaults:
  start: { at: "2026-03-02T14:30:00-05:00", callId: call-3, headers: { lang: es, trunk: "7" } }
  vars: { account: "1", greeted: true }
  fetch:
    "GET https://a.example/x": { status: 200 }
    "GET https://a.example/y": { status: 500 }
cases:
  - name: all from the defaults
    steps: [played]
  - name: its own
    start: { callId: call-9, headers: { lang: en } }
    vars: { greeted: false }
    fetch:
      "GET https://a.example/y": { status: 204 }
    steps: [played]
`,
    );
    assert.deepEqual(diagnostics, []);
    const [first, own] = value!.cases;
    assert.deepEqual([first!.startAt, first!.callId, first!.headers], [Date.UTC(2026, 2, 2, 19, 30), 'call-3', { lang: 'es', trunk: '7' }]);
    assert.deepEqual(first!.vars, { account: '1', greeted: true });
    assert.equal(own!.startAt, Date.UTC(2026, 2, 2, 19, 30));
    assert.equal(own!.callId, 'call-9');
    assert.deepEqual(Object.entries(own!.headers), [['lang', 'en'], ['trunk', '7']]);
    assert.deepEqual(Object.entries(own!.vars), [['greeted', false], ['account', '1']]);
    assert.deepEqual(Object.entries(own!.fetch), [['GET https://a.example/y', { status: 204 }], ['GET https://a.example/x', { status: 200 }]]);
  });

  test('a default that the flow contradicts fails the cases that rely on it', async () => {
    const file = await deskTests(`defaults:
  start: { at: "2026-03-07T15:00:00Z", callId: call-3 }
cases:
  - name: Saturday is closed, so the menu is not reached
    steps:
      - expect: { node: main }
`);
    const result = await runTests([file]);
    assert.equal(result.failed, 1);
    assert.deepEqual(result.files[0]!.cases[0]!.failure!.mismatches, [{ key: 'node', expected: 'main', actual: 'closed' }]);
  });

  test('without start.at the call starts Monday 2026-01-05 09:00 UTC: 03:00 in Chicago, the desk is closed', async () => {
    const file = await deskTests(`cases:
  - name: default clock
    steps:
      - expect: { node: closed }
      - played
      - expect: { end: closed }
  - name: 09:00 in Chicago is open
    start: { at: "2026-01-05T09:00:00-06:00", callId: call-3 }
    steps:
      - expect: { node: main }
`);
    const result = await runTests([file]);
    assert.equal(result.failed, 0, renderText(result));
  });

  test('a start.at that names no real time is an error at its value, and no case runs', () => {
    const cases: Array<[string, string]> = [
      ['2026-02-30T10:00:00Z', '2026-02 has no day 30 (it has 28)'],
      ['2026-13-01T10:00:00Z', 'there is no month 13'],
      ['2026-01-05T25:00:00Z', 'the time of day must be from 00:00:00 to 23:59:59'],
      ['2026-01-05T10:00:00+15:00', 'the offset must be from -14:00 to +14:00'],
      ['1969-12-31T23:00:00Z', 'the year must be from 1970 to 9999'],
    ];
    for (const [at, why] of cases) {
      const { value, diagnostics } = parseTestFile('/flows/desk.test.yaml', `cases:\n  - name: x\n    start: { at: "${at}" }\n    steps: [played]\n`);
      assert.equal(value, undefined, at);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.line, d.col, d.message]),
        [['test-start-at', 3, 18, `start.at \`${at}\`: ${why}`]],
      );
    }
  });

  test('a start.at in defaults is checked where it is written; a shape the schema refuses is a schema error', () => {
    const bad = parseTestFile('/flows/desk.test.yaml', `defaults:\n  start:\n    at: "2026-04-31T10:00:00Z"\ncases:\n  - name: x\n    steps: [played]\n`);
    assert.deepEqual(bad.diagnostics.map((d) => [d.code, d.line, d.col]), [['test-start-at', 3, 9]]);
    for (const at of ['2026-01-05 10:00', '2026-01-05T10:00:00.0001Z', '2026-01-05T10:00:00']) {
      const shape = parseTestFile('/flows/desk.test.yaml', `cases:\n  - name: x\n    start: { at: "${at}" }\n    steps: [played]\n`);
      assert.deepEqual(shape.diagnostics.map((d) => [d.code, d.line]), [['test-schema', 3]], at);
    }
  });

  test('ivr test --help says when calls start, and names each v1.1 key', async () => {
    const r = await runCli(['test', '--help']);
    assert.match(r.stdout, /default Monday 2026-01-05T09:00:00Z, which is\s+03:00 in Chicago/);
    for (const key of ['defaults:', 'start.at', 'start.callId', 'start.headers.lang', 'flow (the flow running now)', 'vars (of the flow running now, and the', 'end (hangup', '{ say: "final text" }', '--format <format>']) {
      assert.ok(r.stdout.includes(key), `--help does not mention ${key}`);
    }
  });

  test('start.headers.lang picks the language: the flow branches on it', async () => {
    const file = await deskTests(`defaults:
  start: { at: "2026-03-02T14:30:00-05:00", callId: call-3 }
cases:
  - name: es
    start: { headers: { lang: es } }
    steps:
      - expect: { node: main, vars: { greeted: true, language: es } }
  - name: a language the flow does not speak is the default one
    start: { headers: { lang: fr } }
    steps:
      - expect: { node: main, vars: { greeted: true, language: fr } }
`);
    const result = await runTests([file]);
    assert.deepEqual(result.files[0]!.cases.map((c) => c.passed), [true, false]);
    assert.deepEqual(result.files[0]!.cases[1]!.failure!.mismatches, [{ key: 'vars', expected: { greeted: true, language: 'fr' }, actual: { greeted: false, language: 'en' } }]);
  });

  test('after a hangup step the call ended with reason hangup, and the caller can press no more', async () => {
    const file = await deskTests(`defaults:
  start: { at: "2026-03-02T14:30:00-05:00", callId: call-3 }
cases:
  - name: hangs up
    steps:
      - hangup
      - expect: { end: hangup }
  - name: presses after hanging up
    steps:
      - hangup
      - press: "1"
  - name: not completed
    steps:
      - hangup
      - expect: { end: completed }
`);
    const result = await runTests([file]);
    const [hangs, presses, notCompleted] = result.files[0]!.cases;
    assert.ok(hangs!.passed, renderText(result));
    assert.equal(presses!.failure?.message, 'cannot press 1: the call already ended (hangup)');
    assert.deepEqual(notCompleted!.failure!.mismatches, [{ key: 'end', expected: 'completed', actual: 'hangup' }]);
  });

  test("inside a subflow, expect checks the running flow and its own variables; a caller's variable is named as absent", async () => {
    const file = await deskTests(`defaults:
  start: { at: "2026-03-02T14:30:00-05:00", callId: call-3 }
cases:
  - name: wrong flow and a caller's variable
    steps:
      - played
      - press: "2"
      - expect: { flow: desk, vars: { account: "" } }
`);
    const result = await runTests([file]);
    assert.deepEqual(result.files[0]!.cases[0]!.failure!.mismatches, [
      { key: 'flow', expected: 'desk', actual: 'pin' },
      { key: 'vars', expected: { account: '' }, actual: { account: '(no variable account in flow pin, which is running)' } },
    ]);
  });

  test('play matches { say } items by their final text', async () => {
    const flow = loadedFlow(`
ivr: 1
id: speaker
vars: { doctor: "Okafor" }
nodes:
  hello:
    play: [welcome, { say: "Your doctor is {{ doctor }}." }]
    next: bye
  bye:
    end: {}
`);
    const compiled = compileFlow(flow, flowSet(flow));
    const prompts = fakePrompts({ welcome: 500 }, () => 700);
    const file = parseTestFile(
      '/flows/speaker.test.yaml',
      `cases:
  - name: right text
    steps:
      - expect: { play: [welcome, { say: "Your doctor is Okafor." }] }
  - name: template left unfilled
    steps:
      - expect: { play: [welcome, { say: "Your doctor is {{ doctor }}." }] }
`,
    ).value!;
    const right = await runCase(file.cases[0]!, compiled, prompts);
    const unfilled = await runCase(file.cases[1]!, compiled, prompts);
    assert.ok(right!.passed, JSON.stringify(right!.failure));
    assert.deepEqual(unfilled!.failure!.mismatches, [
      { key: 'play', expected: ['welcome', 'say: Your doctor is {{ doctor }}.'], actual: ['welcome', 'say: Your doctor is Okafor.'] },
    ]);
  });
});
