import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from './harness.js';

const MENU = `
ivr: 1
vars: { account: "" }
settings: { timeout: 5s, interDigitTimeout: 3s }
nodes:
  main_menu:
    menu:
      prompt: main_menu
      reprompt: main_menu_short
      options: { "1": billing }
      noInput: { prompts: [no_input, [no_input_2, hint], operator_hint], max: 5, then: operator }
      noMatch: { prompts: [invalid], max: 3, then: operator }
  billing:
    collect:
      prompt: enter_account
      into: account
      max: 4
      noInput: { prompts: [say_digits, last_chance], max: 3, then: operator }
    next: operator
  operator: { end: { prompt: transferring, reason: operator } }
`;

describe('escalating prompts', () => {
  test('the n-th no-input plays the n-th entry before the reprompt, and the last entry repeats', () => {
    const call = Call.of(MENU);
    call.played().take();
    call.wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'play:no_input,main_menu_short']);
    call.played().wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'play:no_input_2,hint,main_menu_short']);
    call.played().wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'play:operator_hint,main_menu_short']);
    call.played().wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'play:operator_hint,main_menu_short']);
    call.played().wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'node:operator', 'play:transferring']);
  });

  test('noMatch escalates on its own counter: a no-input in between does not advance it', () => {
    const call = Call.of(MENU);
    call.played().take();
    call.press('7');
    assert.deepEqual(call.log(), ['input:noMatch:7', 'play:invalid,main_menu_short']);
    call.played().wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'play:no_input,main_menu_short']);
    call.played().press('8');
    assert.deepEqual(call.log(), ['input:noMatch:8', 'play:invalid,main_menu_short']);
  });

  test('a collect escalates the same way, and a new visit starts again at the first entry', () => {
    const call = Call.of(MENU);
    call.played().press('1').take();
    call.played().wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'play:say_digits,enter_account']);
    call.played().wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'play:last_chance,enter_account']);
  });
});
