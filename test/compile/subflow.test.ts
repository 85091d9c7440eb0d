import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from './harness.js';

describe('subflow', () => {
  const PARENT = `
ivr: 1
id: main
vars: { rx: "1234", confirmed: false }
nodes:
  ask: { subflow: { flow: confirm, input: { what: "rx" }, output: { confirmed: "answer == 'yes'" } }, next: done }
  done: { end: { reason: done } }
`;
  const CHILD = `
ivr: 1
id: confirm
vars: { what: "", answer: "" }
nodes:
  q: { menu: { prompt: [you_said, { digits: "what" }], options: { "1": yes, "2": no } } }
  yes: { set: { answer: "'yes'" }, next: back }
  no: { set: { answer: "'no'" }, next: back }
  back: { return: {} }
`;
  test('subflow returns output into the parent and continues with next', () => {
    const call = Call.of(PARENT, { others: [CHILD] });
    // A subflow's node is named `<subflow id>/<node>` (the one rule for logs, records, coverage).
    assert.deepEqual(call.log(), ['node:ask', 'node:confirm/q', 'play:you_said,digit-1,digit-2,digit-3,digit-4']);
    assert.equal(call.last('node')?.flow, 'confirm');
    assert.deepEqual((call.last('play')!.items[0]), { prompt: 'you_said', flow: 'confirm' });
    call.played().press('1');
    assert.deepEqual(call.log(), ['input:match:1', 'node:confirm/yes', 'node:confirm/back', 'node:done', 'end:done']);
    assert.deepEqual(call.vars, { rx: '1234', confirmed: true });
  });

  test('a missing subflow is a runtime error routed to onError', () => {
    const call = Call.of(PARENT);
    assert.equal(call.last('end')?.reason, 'error');
  });

  test('a recursive subflow is refused at compile time and fails at run time', () => {
    const call = Call.of(PARENT, { others: [CHILD.replace('back: { return: {} }', 'back: { subflow: { flow: confirm } }')] });
    call.played().press('1');
    assert.equal(call.last('end')?.reason, 'error');
    assert.ok(call.commands.some((c) => c.type === 'log' && /recursive subflow/.test(c.message)));
  });
});
