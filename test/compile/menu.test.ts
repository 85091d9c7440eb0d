import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call, flush } from './harness.js';

const MENU = `
ivr: 1
vars: { dept: "" }
settings: { timeout: 5s, interDigitTimeout: 3s }
global: { "0": operator }
onFailure: goodbye
nodes:
  main_menu:
    menu:
      prompt: main_menu
      reprompt: main_menu_short
      options:
        "1": billing
        "2": { goto: support, set: { dept: "'support:' + input" } }
        "9": main_menu
      noInput: { prompt: no_input, max: 3 }
      noMatch: { prompt: invalid, max: 2, then: operator }
  billing: { play: billing, next: goodbye }
  support: { play: support, next: goodbye }
  operator: { end: { prompt: transferring, reason: operator } }
  goodbye: { end: { prompt: goodbye } }
`;

describe('menu', () => {
  test('the first key decides a single-digit menu', () => {
    const call = Call.of(MENU);
    assert.deepEqual(call.log(), ['node:main_menu', 'play:main_menu']);
    call.played().press('1');
    assert.deepEqual(call.log(), ['input:match:1', 'node:billing', 'play:billing']);
  });

  test('an option with set evaluates its assignments with input in scope', () => {
    const call = Call.of(MENU);
    call.played().press('2');
    assert.equal(call.vars.dept, 'support:2');
    assert.equal(call.lastNode(), 'support');
  });

  test('timeout starts when playback finished, not when the prompt was sent', () => {
    const call = Call.of(MENU);
    call.take();
    call.wait(60_000); // the prompt is still playing: no timer runs
    assert.deepEqual(call.log(), []);
    call.played().wait(4999);
    assert.deepEqual(call.log(), []);
    call.wait(1);
    assert.deepEqual(call.log(), ['input:noInput:', 'play:no_input,main_menu_short']);
  });

  test('ends the call after three silences (onFailure when noInput has no then)', () => {
    const call = Call.of(MENU);
    call.played().wait(5000).played().wait(5000).played().take();
    call.wait(5000);
    assert.deepEqual(call.log(), ['input:noInput:', 'node:goodbye', 'play:goodbye']);
    call.played();
    assert.deepEqual(call.log(), ['end:completed']);
    assert.equal(call.done, true);
    assert.equal(call.clock.pending(), 0);
  });

  test('noMatch plays its handler prompt and the reprompt, then goes to then at max', () => {
    const call = Call.of(MENU);
    call.played().take();
    call.press('7');
    assert.deepEqual(call.log(), ['input:noMatch:7', 'play:invalid,main_menu_short']);
    call.played().press('8');
    assert.deepEqual(call.log(), ['input:noMatch:8', 'node:operator', 'play:transferring']);
  });

  test('noInput and noMatch keep separate counters', () => {
    const call = Call.of(MENU);
    call.played().press('7').played().wait(5000).played().wait(5000).played().take();
    call.press('8'); // second noMatch (max 2) even though two noInputs happened in between
    assert.deepEqual(call.log(), ['input:noMatch:8', 'node:operator', 'play:transferring']);
  });

  test('a repeat option re-enters the menu with fresh counters', () => {
    const call = Call.of(MENU);
    call.played().press('7').played().take();
    call.press('9');
    assert.deepEqual(call.log(), ['input:match:9', 'node:main_menu', 'play:main_menu']);
    call.played().press('7').played().take();
    call.press('7'); // would be the third noMatch of the call, but only the second of this visit
    assert.deepEqual(call.log(), ['input:noMatch:7', 'node:operator', 'play:transferring']);
  });

  test('a key during a barge-in prompt clears it once and counts as input', () => {
    const call = Call.of(MENU);
    call.take();
    call.press('1');
    assert.deepEqual(call.log(), ['clear', 'input:match:1', 'node:billing', 'play:billing']);
  });

  test('a key during a bargeIn:false prompt is ignored and not counted', () => {
    const call = Call.of(MENU.replace('  main_menu:\n    menu:', '  main_menu:\n    bargeIn: false\n    menu:'));
    call.take();
    call.press('1');
    const commands = call.take();
    assert.deepEqual(commands.map((c) => (c.type === 'key' ? `key:${c.key}:${c.acted}` : c.type)), ['key:1:false', 'log']);
    assert.equal(commands[1]?.type === 'log' && commands[1].level, 'info');
    call.played().press('2');
    assert.equal(call.lastNode(), 'support');
  });

  test('global key works in a menu', () => {
    const call = Call.of(MENU);
    call.played().take();
    call.press('0');
    assert.deepEqual(call.log(), ['input:match:0', 'node:operator', 'play:transferring']);
  });

  test("a node's own option wins over a global key, and global: false turns them off", () => {
    const own = Call.of(MENU.replace('"9": main_menu', '"0": billing'));
    own.played().press('0');
    assert.equal(own.lastNode(), 'billing');
    const off = Call.of(MENU.replace('      prompt: main_menu\n', '      prompt: main_menu\n      global: false\n'));
    off.played().press('0');
    assert.deepEqual(off.log().slice(-2), ['input:noMatch:0', 'play:invalid,main_menu_short']);
  });
});

const TYPEAHEAD = `
ivr: 1
global: { "0": operator }
nodes:
  greet: { play: welcome, next: main_menu }
  main_menu:
    menu:
      prompt: main_menu
      options: { "1": billing, "2": support }
  billing: { play: billing, next: done }
  support: { play: support, next: done }
  operator: { play: operator, next: done }
  done: { end: {} }
`;

describe('typeahead', () => {
  test('typeahead during welcome decides the menu without playing its prompt', () => {
    const call = Call.of(TYPEAHEAD);
    assert.deepEqual(call.log(), ['node:greet', 'play:welcome']);
    call.press('2');
    assert.deepEqual(call.log(), ['clear', 'node:main_menu', 'input:match:2', 'node:support', 'play:support']);
  });

  test('a global key typed ahead reaches the operator', () => {
    const call = Call.of(TYPEAHEAD);
    call.take();
    call.press('0');
    assert.deepEqual(call.log(), ['clear', 'node:main_menu', 'input:match:0', 'node:operator', 'play:operator']);
  });

  test('the welcome prompt is cleared only once for several keys', () => {
    const call = Call.of(TYPEAHEAD.replace('"1": billing, "2": support', '"12": billing, "2": support'));
    call.take();
    call.press('1');
    call.press('2');
    assert.deepEqual(call.log(), ['clear', 'node:main_menu', 'input:match:12', 'node:billing', 'play:billing']);
  });

  test('typeahead that does not decide waits for more keys instead of playing the prompt', () => {
    const call = Call.of(TYPEAHEAD.replace('"1": billing, "2": support', '"11": billing, "12": support'));
    call.take();
    call.press('1');
    assert.deepEqual(call.log(), ['clear', 'node:main_menu']);
    call.wait(3000); // inter-digit timeout with "1": no option
    assert.deepEqual(call.log(), ['input:noMatch:1', 'play:main_menu']);
  });

  test('typeahead is dropped on entering a fetch', async () => {
    const call = Call.of(`
ivr: 1
nodes:
  greet: { play: welcome, next: lookup }
  lookup: { fetch: { url: "http://x/y" }, next: menu }
  menu: { menu: { prompt: main_menu, options: { "1": done } } }
  done: { end: {} }
`);
    call.press('1');
    const fetch = call.take().find((c) => c.type === 'fetch');
    assert.ok(fetch?.type === 'fetch');
    await flush();
    call.fetches.at(-1)!.answer({ status: 200, headers: {}, body: {} });
    await flush();
    assert.deepEqual(call.log(), ['node:menu', 'play:main_menu']);
  });
});

const MULTI = `
ivr: 1
settings: { interDigitTimeout: 3s }
nodes:
  dir:
    menu:
      prompt: directory
      options: { "1": sales, "12": billing, "123": tech, "7": seven }
      match:
        - { pattern: "^2[0-9]{3}$", goto: extension, set: { ext: "input" } }
  sales: { end: { reason: sales } }
  billing: { end: { reason: billing } }
  tech: { end: { reason: tech } }
  seven: { end: { reason: seven } }
  extension: { end: { reason: extension } }
vars: { ext: "" }
`;

describe('multi-digit menu', () => {
  test('decides early on a unique option (no match list)', () => {
    const call = Call.of(MULTI.replace(/ {6}match:\n.*\n/, ''));
    call.played().take();
    call.press('7');
    assert.deepEqual(call.log(), ['input:match:7', 'node:seven', 'end:seven']);
  });

  test('waits on a prefix of a longer option, then decides after the inter-digit timeout', () => {
    const call = Call.of(MULTI.replace(/ {6}match:\n.*\n/, ''));
    call.played().take();
    call.press('12');
    call.wait(2999);
    assert.deepEqual(call.log(), []);
    call.wait(1);
    assert.deepEqual(call.log(), ['input:match:12', 'node:billing', 'end:billing']);
  });

  test('decides at maxDigits (the longest option) and on the terminator', () => {
    const call = Call.of(MULTI.replace(/ {6}match:\n.*\n/, ''));
    call.played().press('123');
    assert.equal(call.lastNode(), 'tech');
    const t = Call.of(MULTI.replace(/ {6}match:\n.*\n/, ''));
    t.played().press('1#');
    assert.equal(t.lastNode(), 'sales');
  });

  test('each key restarts the inter-digit timeout', () => {
    const call = Call.of(MULTI);
    call.played().take();
    call.press('2').wait(2500).press('0').wait(2500).press('0').wait(2500).press('1');
    assert.deepEqual(call.log(), []);
    call.wait(3000);
    assert.deepEqual(call.log(), ['input:match:2001', 'node:extension', 'end:extension']);
  });

  test('match pattern sets input', () => {
    const call = Call.of(MULTI);
    call.played().press('2345#');
    assert.equal(call.vars.ext, '2345');
    assert.equal(call.lastNode(), 'extension');
  });

  test('exact options are tried before match patterns; nothing matching is a noMatch', () => {
    const call = Call.of(MULTI);
    call.played().press('12#');
    assert.equal(call.lastNode(), 'billing');
    const miss = Call.of(MULTI);
    miss.played().take();
    miss.press('99#');
    assert.deepEqual(miss.log(), ['input:noMatch:99', 'play:directory']);
  });
});
