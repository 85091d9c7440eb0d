/**
 * How a key is driven through the machine (input-states.ts): a key that decides takes its
 * decision's transition in the same XState microstep (`keyDecides`), a key that does not goes to
 * `keys`, and a menu entered with typeahead takes it before anything plays. What the caller
 * hears is the same either way; these tests pin the shape that makes a key cheap
 * (test/bench/frame-path.ts) and the answers the shared guard gives to interleaved calls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, type InspectionEvent } from 'xstate';
import { compileFlow } from '../../src/compile/compile-flow.js';
import type { Command } from '../../src/compile/protocol.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { SimClock } from '../../src/testing/sim-clock.js';
import { Call, flowSet, loadedFlow } from './harness.js';

test('a menu key that decides is one microstep, with the commands in the order the call hears them', async () => {
  const set = await loadFlows(['flows/support.yaml']);
  const { machine } = compileFlow(set.flows.get('support')!, set);
  const clock = new SimClock();
  let microsteps = 0;
  const batches: Command[][] = [];
  const actor = createActor(machine, {
    input: { call: { callId: 'c1', streamId: 's1', accountId: 'MA1', headers: {} } },
    clock,
    inspect: (e: InspectionEvent) => { if (e.type === '@xstate.microstep') microsteps++; },
  });
  actor.on('commands', (batch) => { batches.push(batch.commands); });
  actor.start();
  const play = batches.flat().find((c) => c.type === 'play');
  assert.equal(play?.type, 'play');
  actor.send({ type: 'playback.finished', playbackId: play.type === 'play' ? play.playbackId : 0 });
  // main_menu is playing its prompt (barge-in): "9" repeats the menu.
  assert.deepEqual(actor.getSnapshot().value, { call: { main_menu: 'prompt' } });
  microsteps = 0;
  batches.length = 0;
  actor.send({ type: 'dtmf', digit: '9', at: clock.now() });
  assert.equal(microsteps, 1);
  assert.deepEqual(actor.getSnapshot().value, { call: { main_menu: 'prompt' } });
  // One batch for the key's transition, one for entering the menu again.
  assert.deepEqual(batches.map((b) => b.map((c) => c.type)), [['key', 'clear', 'input'], ['node', 'play']]);
  actor.stop();
});

const TWO_DIGITS = `
ivr: 1
prompts: { p: { say: "Choose." } }
nodes:
  m:
    menu:
      prompt: p
      options: { "12": twelve, "3": three }
  twelve: { end: { reason: twelve } }
  three: { end: { reason: three } }
`;

test('one guard serves every call of a flow version: each call is decided on its own keys', () => {
  const main = loadedFlow(TWO_DIGITS);
  const { machine } = compileFlow(main, flowSet(main));
  const a = new Call(machine);
  const b = new Call(machine);
  a.press('1'); // A holds "1": no decision yet
  b.press('2'); // B holds "2": no decision yet (asked of the guard with no keys held)
  a.press('2'); // A: "1" then "2" is option 12
  assert.equal(a.last('end')?.reason, 'twelve');
  assert.deepEqual(b.actor.getSnapshot().value, { call: { m: 'keys' } });
  b.press('3'); // B: "2" then "3" is two keys, the most a menu of "12" takes: no match
  assert.equal(b.last('input')?.outcome, 'noMatch');
  b.press('3');
  assert.equal(b.last('end')?.reason, 'three');
});

test('a key that decides nothing yet waits in keys; the inter-digit timeout decides', () => {
  const call = Call.of(TWO_DIGITS.replace('  m:\n', '  m:\n    interDigitTimeout: 2s\n'));
  call.press('1');
  assert.deepEqual(call.actor.getSnapshot().value, { call: { m: 'keys' } });
  call.wait(1999);
  assert.equal(call.last('input'), undefined);
  call.wait(1);
  assert.equal(call.last('input')?.outcome, 'noMatch');
  assert.deepEqual(call.actor.getSnapshot().value, { call: { m: 'prompt' } });
});

test('every key that decides nothing starts the inter-digit timeout again', () => {
  const call = Call.of(TWO_DIGITS.replace('"12": twelve', '"123": twelve').replace('  m:\n', '  m:\n    interDigitTimeout: 2s\n'));
  call.press('1');
  call.wait(1500);
  call.press('2');
  call.wait(1999);
  assert.equal(call.last('input'), undefined);
  call.wait(1);
  assert.equal(call.last('input')?.outcome, 'noMatch');
});

test('typeahead from a barge-in play is taken by the next menu before its prompt plays', () => {
  const call = Call.of(`
ivr: 1
prompts: { hi: { say: "Hello." }, p: { say: "Choose." } }
nodes:
  hello: { play: hi, bargeIn: true, next: m }
  m:
    menu:
      prompt: p
      options: { "3": three }
  three: { end: { reason: three } }
`);
  call.take();
  call.press('3');
  assert.deepEqual(call.log(), ['clear', 'node:m', 'input:match:3', 'node:three', 'end:three']);
});
