/**
 * The language belongs to the call, not to a flow (flow-language.md v1.1, "Per-call language"):
 * a subflow speaks the caller's current language, a switch made inside a subflow lasts after its
 * `return`, and a subflow that does not list the call's language plays its own default one.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from '../../src/compile/protocol.js';
import { Call } from './harness.js';

const FRONT = `
ivr: 1
id: front
settings: { languages: [en, es] }
nodes:
  menu:
    menu:
      prompt: main_menu
      options:
        "1": switcher
        "2": { goto: speaker, set: { language: "'es'" } }
        "3": { goto: english_only, set: { language: "'es'" } }
  switcher:
    subflow: { flow: switch-to-es }
    next: after
  speaker:
    subflow: { flow: speak }
    next: after
  english_only:
    subflow: { flow: speak-en }
    next: after
  after:
    play: goodbye
    next: bye
  bye:
    end: {}
`;
const SWITCH = `
ivr: 1
id: switch-to-es
settings: { languages: [en, es] }
nodes:
  flip:
    set: { language: "'es'" }
    next: done
  done:
    return: {}
`;
const SPEAK = `
ivr: 1
id: speak
settings: { languages: [en, es] }
nodes:
  hello:
    play: hello
    next: done
  done:
    return: {}
`;
const SPEAK_EN = SPEAK.replace('id: speak', 'id: speak-en').replace('languages: [en, es]', 'languages: [en]');

function languagesOf(play: Extract<Command, { type: 'play' }> | undefined): string[] {
  return (play?.items ?? []).map((i) => ('language' in i ? String(i.language) : ''));
}

describe('per-call language across subflows', () => {
  const call = (): Call => Call.of(FRONT, { others: [SWITCH, SPEAK, SPEAK_EN] });

  test('a switch made inside a subflow lasts after its return', () => {
    const c = call();
    assert.deepEqual(languagesOf(c.last('play')), ['en']);
    c.played().press('1');
    assert.equal(c.lastNode(), 'after');
    assert.deepEqual(languagesOf(c.last('play')), ['es']);
  });

  test("a subflow speaks the caller's current language", () => {
    const c = call();
    c.played().press('2');
    assert.equal(c.lastNode(), 'speak/hello');
    assert.deepEqual(languagesOf(c.last('play')), ['es']);
  });

  test('a subflow that does not list the call’s language plays its default one; the call keeps its language', () => {
    const c = call();
    c.played().press('3');
    assert.equal(c.lastNode(), 'speak-en/hello');
    // A one-language flow's items name no language: the prompt store plays that flow's own (English).
    const play = c.last('play');
    assert.equal(play?.items[0] && 'prompt' in play.items[0] ? play.items[0].prompt : undefined, 'hello');
    assert.deepEqual(languagesOf(play), ['']);
    c.played();
    assert.equal(c.lastNode(), 'after');
    assert.deepEqual(languagesOf(c.last('play')), ['es']);
  });
});
