import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from './harness.js';

const FLOW = `
ivr: 1
vars: { zip: "" }
settings: { timeout: 5s, interDigitTimeout: 3s }
nodes:
  intro:
    play: intro
    next: zip
  zip:
    collect: { prompt: enter_zip, into: zip, max: 5, terminator: "#" }
    next: menu
  menu:
    menu:
      prompt: main_menu
      options: { "1": one, "#": pound }
      noMatch: { prompt: invalid, max: 3 }
  one: { end: { prompt: one } }
  pound: { end: { prompt: pound } }
`;

describe('a terminator right after max', () => {
  test('is consumed by the collect when pressed within the inter-digit timeout', () => {
    const call = Call.of(FLOW);
    call.played().played().press('12345').take();
    assert.equal(call.vars.zip, '12345');
    call.wait(2999).press('#');
    assert.deepEqual(call.log().filter((l) => !l.startsWith('log:')), []);
    call.played().press('1');
    assert.deepEqual(call.log(), ['input:match:1', 'node:one', 'play:one']);
  });

  test('is not kept as typeahead when typed ahead in one go with the digits', () => {
    const call = Call.of(FLOW);
    call.press('12345#1'); // during the barge-in intro: all typeahead
    assert.equal(call.vars.zip, '12345');
    assert.deepEqual(call.log().slice(-3), ['input:match:1', 'node:one', 'play:one']);
  });

  test('belongs to the next node once the inter-digit timeout has passed', () => {
    const call = Call.of(FLOW);
    call.played().played().press('12345').take();
    call.wait(3000).press('#');
    assert.deepEqual(call.log(), ['clear', 'input:match:#', 'node:pound', 'play:pound']);
  });

  test('belongs to the next node when another key came first', () => {
    const call = Call.of(FLOW);
    call.played().played().press('12345').take();
    call.press('7').press('#');
    assert.deepEqual(call.log(), ['clear', 'input:noMatch:7', 'play:invalid,main_menu', 'clear', 'input:match:#', 'node:pound', 'play:pound']);
  });
});
