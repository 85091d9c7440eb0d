import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promptUsesOf } from '../../src/audio/prompt-names.js';
import type { FlowDoc } from '../../src/flow/types.js';

function doc(nodes: FlowDoc['nodes']): FlowDoc {
  return { ivr: 1, nodes };
}

describe('promptUsesOf: every place a flow plays audio', () => {
  test('finds prompt names in every prompt-carrying key, with the pointer of the first use', () => {
    const uses = promptUsesOf(
      doc({
        a: { play: 'welcome', next: 'b' },
        b: { menu: { prompt: 'menu', reprompt: 'menu_short', noInput: { prompt: 'no_input' }, noMatch: { prompt: ['invalid', 'menu'] }, options: { '1': 'c' } } },
        c: { collect: { prompt: 'enter', reprompt: 'enter_again', into: 'x', noInput: { prompt: 'no_input_2' }, noMatch: { prompt: 'bad' } }, next: 'd' },
        d: { fetch: { url: 'https://example.com', prompt: 'wait' }, next: 'e' },
        e: { transfer: { prompt: 'transferring', dtmf: '1' }, next: 'f' },
        f: { record: { prompt: 'leave_message' }, next: 'g' },
        g: { end: { prompt: 'bye' } },
      }),
    );
    assert.deepEqual(Object.fromEntries(uses.names), {
      welcome: '/nodes/a/play',
      menu: '/nodes/b/menu/prompt',
      menu_short: '/nodes/b/menu/reprompt',
      no_input: '/nodes/b/menu/noInput/prompt',
      invalid: '/nodes/b/menu/noMatch/prompt/0',
      enter: '/nodes/c/collect/prompt',
      enter_again: '/nodes/c/collect/reprompt',
      no_input_2: '/nodes/c/collect/noInput/prompt',
      bad: '/nodes/c/collect/noMatch/prompt',
      wait: '/nodes/d/fetch/prompt',
      transferring: '/nodes/e/transfer/prompt',
      leave_message: '/nodes/f/record/prompt',
      bye: '/nodes/g/end/prompt',
    });
    assert.equal(uses.beeps, '/nodes/f/record');
    assert.equal(uses.speaks, undefined);
  });

  test('notes the first digits or number item, and skips silence', () => {
    const uses = promptUsesOf(doc({ a: { play: [{ silence: '1s' }, 'total', { number: 'n' }, { digits: 'd' }] } }));
    assert.deepEqual([...uses.names.keys()], ['total']);
    assert.equal(uses.speaks, '/nodes/a/play/2');
  });

  test('a record node with beep: false needs no beep; end: null and set nodes play nothing', () => {
    const uses = promptUsesOf(doc({ r: { record: { beep: false }, next: 's' }, s: { set: { x: '1' }, next: 'e' }, e: { end: null } }));
    assert.deepEqual([...uses.names], []);
    assert.equal(uses.beeps, undefined);
  });

  test('escapes node names in pointers (RFC 6901)', () => {
    const uses = promptUsesOf(doc({ 'a/b~c': { play: 'x' } }));
    assert.equal(uses.names.get('x'), '/nodes/a~1b~0c/play');
  });
});
