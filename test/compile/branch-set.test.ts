import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from './harness.js';

describe('branch and set', () => {
  const FLOW = `
ivr: 1
vars: { n: 1, label: "" }
onError: sorry
nodes:
  start: { set: { n: "n + 1", label: "'n=' + string(n)" }, next: pick }
  pick:
    branch:
      - { if: "n > 5", goto: big }
      - { if: "n == 2", goto: two, set: { label: "label + '!'" } }
      - { goto: other }
  big: { end: { reason: big } }
  two: { end: { reason: two } }
  other: { end: { reason: other } }
  sorry: { end: { reason: sorry } }
`;
  test('set assigns in order, each seeing the previous results; branch takes the first case that holds', () => {
    const call = Call.of(FLOW);
    assert.deepEqual(call.log(), ['node:start', 'node:pick', 'node:two', 'end:two']);
    assert.deepEqual(call.vars, { n: 2, label: 'n=2!' });
  });

  test('the default case applies when no other holds; input vars override the flow vars', () => {
    const call = Call.of(FLOW, { vars: { n: 10 } });
    assert.equal(call.lastNode(), 'big');
    const other = Call.of(FLOW, { vars: { n: 3 } });
    assert.equal(other.lastNode(), 'other');
  });

  test('an expression that fails at run time goes to onError with an error log', () => {
    const call = Call.of(FLOW.replace('"n + 1"', '"n / 0"'));
    assert.deepEqual(call.log().filter((l) => !l.startsWith('log')), ['node:start', 'node:sorry', 'end:sorry']);
    assert.ok(call.commands.some((c) => c.type === 'log' && c.level === 'error' && c.node === 'start'));
  });

  test('now follows the simulated clock', () => {
    const call = Call.of(`
ivr: 1
nodes:
  hours: { branch: [{ if: "now.getHours('UTC') == 9", goto: open }, { goto: closed }] }
  open: { end: { reason: open } }
  closed: { end: { reason: closed } }
`);
    assert.equal(call.last('end')?.reason, 'open'); // SimClock starts on a Monday at 09:00 UTC
  });

  test('without any onError a runtime error ends the call with reason error', () => {
    const call = Call.of(FLOW.replace('onError: sorry\n', '').replace('"n + 1"', '"n / 0"'));
    assert.equal(call.last('end')?.reason, 'error');
    assert.equal(call.done, true);
  });
});
