import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from './harness.js';
import { MAX_HELD_KEYS } from '../../src/compile/key-decisions.js';

const COLLECT = `
ivr: 1
vars: { account: "" }
settings: { timeout: 5s, interDigitTimeout: 3s }
global: { "0": operator }
nodes:
  billing:
    collect:
      prompt: enter_account
      into: account
      min: 4
      max: 6
      noInput: { prompt: no_input, max: 2, then: operator }
      noMatch: { prompt: invalid, max: 2, then: operator }
    next: thanks
  thanks: { end: { reason: thanks } }
  operator: { end: { reason: operator } }
`;

describe('collect', () => {
  test('ends at max digits and stores them', () => {
    const call = Call.of(COLLECT);
    call.played().take();
    call.press('123456');
    assert.deepEqual(call.log(), ['input:match:123456', 'node:thanks', 'end:thanks']);
    assert.equal(call.vars.account, '123456');
  });

  test('ends on the terminator, which is not stored', () => {
    const call = Call.of(COLLECT);
    call.played().press('1234#');
    assert.equal(call.vars.account, '1234');
    assert.equal(call.lastNode(), 'thanks');
  });

  test('collect is never cut off while the caller is typing', () => {
    const call = Call.of(COLLECT);
    call.played().take();
    call.wait(4000).press('1'); // `timeout` (5 s) runs only until the first key
    call.wait(2900).press('2').wait(2900).press('3').wait(2900).press('4');
    call.wait(2999);
    assert.deepEqual(call.log(), []);
    call.wait(1); // inter-digit timeout after the last key
    assert.deepEqual(call.log(), ['input:match:1234', 'node:thanks', 'end:thanks']);
  });

  test('fewer than min digits is a noMatch', () => {
    const call = Call.of(COLLECT);
    call.played().take();
    call.press('12#');
    assert.deepEqual(call.log(), ['input:noMatch:12', 'play:invalid,enter_account']);
  });

  test('no key within timeout is a noInput, and the handler then applies at max', () => {
    const call = Call.of(COLLECT);
    call.played().take();
    call.wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'play:no_input,enter_account']);
    call.played().wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'node:operator', 'end:operator']);
  });

  test('a failed pattern or a failed valid expression is a noMatch', () => {
    const pattern = Call.of(COLLECT.replace('max: 6', 'max: 6\n      pattern: "^9"'));
    pattern.played().take();
    pattern.press('1234#');
    assert.deepEqual(pattern.log().slice(0, 1), ['input:noMatch:1234']);
    const valid = Call.of(COLLECT.replace('max: 6', 'max: 6\n      valid: "input != \'5555\'"'));
    valid.played().take();
    valid.press('5555#');
    assert.deepEqual(valid.log().slice(0, 1), ['input:noMatch:5555']);
    valid.played().press('1111#');
    assert.equal(valid.vars.account, '1111');
  });

  test('global key works in a collect only as the first key', () => {
    const first = Call.of(COLLECT);
    first.played().press('0');
    assert.equal(first.lastNode(), 'operator');
    const later = Call.of(COLLECT);
    later.played().press('1000#');
    assert.equal(later.vars.account, '1000');
    const off = Call.of(COLLECT.replace('min: 4', 'min: 4\n      global: false'));
    off.played().press('0123#');
    assert.equal(off.vars.account, '0123');
  });

  test('a sensitive collect says so in its input command, and shows the value masked', () => {
    const call = Call.of(COLLECT.replace('min: 4', 'min: 4\n      sensitive: true'));
    call.played().take();
    call.press('1234#');
    const input = call.take().find((c) => c.type === 'input');
    assert.deepEqual(input, { type: 'input', node: 'billing', value: '***', sensitive: true, outcome: 'match', edge: 'ok' });
    assert.ok(!JSON.stringify(call.commands).includes('1234'), 'no command carries the digits');
    assert.equal(call.vars.account, '1234', 'the flow itself has the value');
  });

  test('keys typed during a prompt flow into the following nodes as they arrive', () => {
    const call = Call.of(`
ivr: 1
vars: { pin: "" }
nodes:
  hello: { play: hello, next: pin }
  pin: { collect: { prompt: enter_pin, into: pin, max: 4 }, next: confirm }
  confirm: { menu: { prompt: confirm, options: { "1": ok } } }
  ok: { end: {} }
`);
    call.take();
    call.press('123451');
    assert.deepEqual(call.log(), [
      'clear', 'node:pin', 'input:match:1234', 'node:confirm', 'play:confirm',
      'clear', 'input:noMatch:5', 'play:confirm', 'clear', 'input:match:1', 'node:ok', 'end:completed',
    ]);
    assert.equal(call.vars.pin, '1234');
  });
});

describe('keys a call can make the engine hold', () => {
  const UNBOUNDED = `
ivr: 1
vars: { account: "" }
settings: { timeout: 5s, interDigitTimeout: 3s }
nodes:
  billing:
    collect:
      prompt: enter_account
      into: account
      noMatch: { prompt: invalid, max: 2, then: bye }
    next: thanks
  thanks: { end: { reason: thanks } }
  bye: { end: { reason: bye } }
`;

  test(`a collect without max decides at ${MAX_HELD_KEYS} keys, as if the inter-digit timeout had passed; later keys are the next node's`, () => {
    const call = Call.of(UNBOUNDED);
    call.played().take();
    call.press('1'.repeat(MAX_HELD_KEYS - 1));
    assert.deepEqual(call.log(), [], 'still collecting below the bound');
    call.press('1'.repeat(500));
    assert.deepEqual(call.log().slice(0, 2), [`input:match:${'1'.repeat(MAX_HELD_KEYS)}`, 'node:thanks']);
    assert.equal(String(call.vars.account).length, MAX_HELD_KEYS);
  });
});
