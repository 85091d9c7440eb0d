/**
 * Which variables hold a sensitive value (compile/sensitive.ts `secretVars`), and what a play
 * reading them shows in tests (call/shown-play.ts): decided by where a value comes from, never
 * by searching for a secret's text.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describePlay } from '../../src/call/shown-play.js';
import { secretVars } from '../../src/compile/sensitive.js';
import { flowSet, loadedFlow } from './harness.js';

const MAIN = `
ivr: 1
id: main
vars: { pin: "", code: 0, masked: "", echo: "", balance: 0, fromChild: "", other: "" }
nodes:
  ask:
    collect: { prompt: enter, into: pin, min: 4, max: 4, sensitive: true }
    next: derive
  derive:
    set: { code: "int(pin) + 1", balance: "12" }
    next: lookup
  lookup:
    fetch: { url: "http://api.test/x", set: { echo: "string(code) + response.body.x", other: "response.body.y" } }
    next: child
  child:
    subflow: { flow: helper, input: { secretIn: "pin.substring(0, 2)", plainIn: "'x'" }, output: { fromChild: "result", other: "plainOut" } }
    next: done
  done: { end: {} }
`;
const HELPER = `
ivr: 1
id: helper
vars: { secretIn: "", plainIn: "", result: "", plainOut: "" }
nodes:
  work:
    set: { result: "secretIn + 'z'", plainOut: "plainIn" }
    next: back
  back: { return: {} }
`;

describe('secretVars: the variables holding a sensitive value', () => {
  test("a collect's into, then every variable assigned from one: set, fetch set, subflow input and output", () => {
    const main = loadedFlow(MAIN);
    const vars = secretVars(main, flowSet(main, loadedFlow(HELPER)));
    assert.deepEqual([...vars].sort(), ['code', 'echo', 'fromChild', 'pin', 'result', 'secretIn']);
  });

  test('a flow with no sensitive collect has none', () => {
    const helper = loadedFlow(HELPER);
    assert.equal(secretVars(helper, flowSet(helper)).size, 0);
  });
});

describe("describePlay at a test's detail", () => {
  test('a secret run is one #; a non-secret number beside it stays as the prompts it names, even one equal to a secret digit', () => {
    const items = [
      { prompt: 'balance_is', flow: 'f' }, { prompt: 'number-12', flow: 'f' },
      { prompt: 'digit-2', flow: 'f', secret: true as const }, { prompt: 'digit-4', flow: 'f', secret: true as const },
      { prompt: 'number-20', flow: 'f' }, { silenceMs: 100 }, { prompt: 'digit-2', flow: 'f', secret: true as const },
    ];
    assert.deepEqual(describePlay(items, 'tests'), ['balance_is', 'number-12', '#', 'number-20', 'silence-100ms', '#']);
    assert.deepEqual(describePlay(items, 'logs'), ['balance_is', '#', 'silence', '#']);
  });
});
