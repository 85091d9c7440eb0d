import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call, flowSet, loadedFlow } from './harness.js';
import { flowMachineConfig } from '../../src/compile/index.js';

describe('the call as a whole', () => {
  const SIMPLE = `
ivr: 1
settings: { maxCallDuration: 10m }
nodes:
  menu: { menu: { prompt: main_menu, options: { "1": done } } }
  done: { end: { prompt: goodbye } }
`;
  test('maxCallDuration ends the call', () => {
    const call = Call.of(SIMPLE);
    call.take();
    call.wait(10 * 60_000 - 1);
    assert.equal(call.done, false);
    call.wait(1);
    assert.deepEqual(call.log(), ['end:max-call-duration']);
    assert.equal(call.done, true);
    assert.equal(call.clock.pending(), 0);
  });

  test('hangup stops all timers and emits nothing', () => {
    const call = Call.of(SIMPLE);
    call.played();
    assert.ok(call.clock.pending() >= 2);
    call.take();
    call.send({ type: 'hangup' });
    assert.deepEqual(call.take(), []);
    assert.equal(call.done, true);
    assert.equal(call.clock.pending(), 0);
    call.press('1').wait(60 * 60_000);
    assert.deepEqual(call.take(), []);
  });

  test('the end prompt never barges in and end is the last command', () => {
    const call = Call.of(SIMPLE);
    call.played().press('1').take();
    call.press('1');
    assert.deepEqual(call.log(), []);
    call.played();
    assert.deepEqual(call.log(), ['end:completed']);
    call.press('1').played().wait(60_000);
    assert.deepEqual(call.take(), []);
  });

  test('return in a top-level flow behaves like end', () => {
    const call = Call.of('ivr: 1\nnodes:\n  r: { return: {} }\n');
    assert.deepEqual(call.log(), ['node:r', 'end:completed']);
  });

  test('the compiled machine is shared: two actors of one machine do not interfere', () => {
    const one = Call.of(SIMPLE);
    const two = new Call(one.actor.logic as never);
    one.played().press('1');
    assert.equal(one.lastNode(), 'done');
    assert.equal(two.lastNode(), 'menu');
    two.played().wait(5000);
    assert.deepEqual(two.log().slice(-2), ['input:noInput:', 'play:main_menu']);
    assert.equal(one.commands.filter((c) => c.type === 'input').length, 1);
  });

  test('the machine config is plain JSON data', () => {
    const flow = loadedFlow(SIMPLE);
    const { config } = flowMachineConfig(flow, flowSet(flow));
    assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
  });
});

describe('flows validate would reject', () => {
  test('a flow without a start node compiles and its calls end with reason error', () => {
    const call = Call.of('ivr: 1\nstart: nowhere\nnodes:\n  a: { end: {} }\n');
    assert.deepEqual(call.log(), ['log:error:flow test has no start node', 'end:error']);
  });

  test('an unknown target ends the call with reason error instead of crashing', () => {
    const call = Call.of('ivr: 1\nnodes:\n  a: { play: hi, next: nowhere }\n');
    call.played();
    assert.deepEqual(call.log(), ['node:a', 'play:hi', 'log:error:unknown node "nowhere" in flow test', 'end:error']);
  });
});
