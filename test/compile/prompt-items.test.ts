import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from './harness.js';

describe('prompt items', () => {
  test('digits, numbers and silence become system prompt names and silences, evaluated when played', () => {
    const call = Call.of(`
ivr: 1
vars: { rx: "12a3", balance: 0.0 }
nodes:
  fill: { set: { balance: "42.5" }, next: say }
  say: { play: [balance_is, { number: "balance" }, { silence: 500ms }, { digits: "rx" }], next: done }
  done: { end: {} }
`);
    const play = call.last('play');
    assert.deepEqual(play?.items, [
      { prompt: 'balance_is', flow: 'test' },
      { prompt: 'number-40', flow: 'test' }, { prompt: 'digit-2', flow: 'test' }, { prompt: 'point', flow: 'test' }, { prompt: 'digit-5', flow: 'test' },
      { silenceMs: 500 },
      { prompt: 'digit-1', flow: 'test' }, { prompt: 'digit-2', flow: 'test' }, { prompt: 'digit-3', flow: 'test' },
    ]);
    assert.ok(call.commands.some((c) => c.type === 'log' && c.level === 'warn' && /skipped 1 character/.test(c.message)));
  });

  test('playback ids are unique and increasing, and a stale playback.finished is ignored', () => {
    const call = Call.of(`
ivr: 1
nodes:
  a: { play: one, next: b }
  b: { play: two, next: done }
  done: { end: {} }
`);
    const first = call.last('play')!;
    call.send({ type: 'playback.finished', playbackId: first.playbackId });
    const second = call.last('play')!;
    assert.ok(second.playbackId > first.playbackId);
    call.take();
    call.send({ type: 'playback.finished', playbackId: first.playbackId });
    assert.deepEqual(call.log(), []);
    call.send({ type: 'playback.finished', playbackId: second.playbackId });
    assert.deepEqual(call.log(), ['node:done', 'end:completed']);
  });
});
