import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call, flush } from './harness.js';

const FLOW = `
ivr: 1
vars: { balance: 0.0, count: 0, name: "", raw: null }
onError: sorry
nodes:
  lookup:
    fetch:
      url: "https://billing.example.com/"
      set: { balance: "response.body.balance", count: "response.body.count", raw: "response.body" }
    next: say
  say: { play: [{ number: "balance" }], next: done }
  done: { end: {} }
  sorry: { end: { reason: sorry } }
`;

async function answer(call: Call, body: unknown): Promise<void> {
  await flush();
  call.fetches.at(-1)!.answer({ status: 200, headers: {}, body });
  await flush();
}

describe('typed assignments at run time', () => {
  test('values of the declared types are stored; an int goes into a double', async () => {
    const call = Call.of(FLOW);
    await answer(call, { balance: 12, count: 3 });
    assert.deepEqual([call.vars.balance, call.vars.count], [12, 3]);
    assert.equal(call.lastNode(), 'say');
  });

  test('a value of another type is a runtime error naming the node and key, routed to onError', async () => {
    const call = Call.of(FLOW);
    call.take();
    await answer(call, { balance: '12.50', count: 3 });
    const error = call.take().find((c) => c.type === 'log' && c.level === 'error');
    assert.equal(error?.type === 'log' && error.message,
      'fetch set: node `lookup`: `fetch.set.balance`: `balance` is a number (double) variable, but the value is the string "12.50"');
    assert.equal(call.lastNode(), 'sorry');
    assert.equal(call.vars.balance, 0, 'nothing is assigned');
  });

  test('a double into an int variable is an error; a variable declared null takes anything', async () => {
    const call = Call.of(FLOW);
    call.take();
    await answer(call, { balance: 1.5, count: 2.5 });
    const error = call.take().find((c) => c.type === 'log' && c.level === 'error');
    assert.match(error?.type === 'log' ? error.message : '', /`fetch\.set\.count`: `count` is a whole number \(int\) variable, but the value is the number 2\.5$/);
  });

  test('subflow input and output values are checked against the receiving variable', async () => {
    const child = `
ivr: 1
id: child
vars: { code: "" }
nodes:
  r: { return: {} }
`;
    const call = Call.of(`
ivr: 1
vars: { n: 0 }
onError: sorry
nodes:
  s:
    subflow: { flow: child, input: { code: "call.headers" } }
    next: done
  done: { end: {} }
  sorry: { end: { reason: sorry } }
`, { others: [child] });
    const error = call.take().find((c) => c.type === 'log' && c.level === 'error');
    assert.match(error?.type === 'log' ? error.message : '', /^subflow input: node `s`: `subflow\.input\.code`: `code` is a string variable, but the value is a map$/);
    assert.equal(call.lastNode(), 'sorry');
  });
});
