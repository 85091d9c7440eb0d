import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from './harness.js';

describe('transfer', () => {
  const TRANSFER = `
ivr: 1
vars: { ext: "100" }
nodes:
  operator:
    transfer: { prompt: transferring, dtmf: "*2{{ ext }}#" }
`;
  test('plays the prompt, sends the tones, waits 250 ms per tone, then ends with reason transferred', () => {
    const call = Call.of(TRANSFER);
    assert.deepEqual(call.log(), ['node:operator', 'play:transferring']);
    call.press('1'); // ignored: the caller's keys are never forwarded
    call.played();
    assert.deepEqual(call.log(), ['sendDtmf:*2100#']);
    call.wait(6 * 250 - 1);
    assert.deepEqual(call.log(), []);
    call.wait(1);
    assert.deepEqual(call.log(), ['end:transferred']);
  });

  test('only DTMF characters leave the engine', () => {
    const call = Call.of(TRANSFER, { vars: { ext: '1,2;w3' } });
    call.played();
    assert.equal(call.last('sendDtmf')?.digits, '*2123#');
    assert.ok(call.commands.some((c) => c.type === 'log' && c.level === 'warn' && /dropped 3/.test(c.message)));
  });

  test('an explicit settle and next are honoured', () => {
    const call = Call.of(TRANSFER.replace('dtmf: "*2{{ ext }}#" }', 'dtmf: "1", settle: 2s }\n    next: after') + '  after: { end: { reason: after } }\n');
    call.played().wait(1999);
    assert.equal(call.done, false);
    call.wait(1);
    assert.equal(call.last('end')?.reason, 'after');
  });
});

describe('record', () => {
  const RECORD = `
ivr: 1
vars: { voicemail: "" }
onError: sorry
nodes:
  leave:
    record: { prompt: after_the_beep, maxDuration: 30s, silenceTimeout: 4s, into: voicemail }
    next: thanks
  thanks: { end: { reason: thanks } }
  sorry: { end: { reason: sorry } }
`;
  test('plays the prompt, then the beep as a playback of its own, and starts recording once the beep has played', () => {
    const call = Call.of(RECORD);
    assert.deepEqual(call.log(), ['node:leave', 'play:after_the_beep']);
    call.played();
    assert.deepEqual(call.log(), ['play:beep']);
    call.played();
    assert.deepEqual(call.log(), ['record.start']);
  });

  test('keys during the beep are ignored, the terminator too: the recording has not started', () => {
    const call = Call.of(RECORD);
    call.played().take();
    call.press('#5');
    const during = call.take();
    assert.deepEqual(during.filter((c) => c.type === 'key').map((c) => c.type === 'key' && [c.key, c.acted]), [['#', false], ['5', false]]);
    assert.deepEqual(during.filter((c) => c.type !== 'key' && c.type !== 'log'), []);
    call.played();
    assert.deepEqual(call.log(), ['record.start']);
  });

  test('with no playedStream for the beep the machine still waits: the runtime\'s playback fallback answers', () => {
    const call = Call.of(RECORD);
    call.played().take();
    call.wait(60_000);
    assert.deepEqual(call.log(), []);
  });

  test('beep: false starts recording right after the prompt', () => {
    const call = Call.of(RECORD.replace('into: voicemail }', 'into: voicemail, beep: false }'));
    call.played();
    assert.deepEqual(call.log(), ['node:leave', 'play:after_the_beep', 'record.start']);
  });

  test('starts after the prompt and the beep, stops on the terminator and stores the path', () => {
    const call = Call.of(RECORD);
    call.played().played();
    const start = call.last('record.start')!;
    assert.deepEqual(start, { type: 'record.start', requestId: start.requestId, maxDurationMs: 30_000, silenceTimeoutMs: 4000 });
    call.take();
    call.press('5#');
    assert.deepEqual(call.log(), ['record.stop']);
    call.send({ type: 'record.done', requestId: start.requestId, path: '/rec/x.wav', durationMs: 1000, reason: 'terminator' });
    assert.equal(call.vars.voicemail, '/rec/x.wav');
    assert.equal(call.lastNode(), 'thanks');
  });

  test('a failed recording goes to onError; a runaway one is stopped by the safety timer', () => {
    const failed = Call.of(RECORD);
    failed.played().played();
    failed.send({ type: 'record.failed', requestId: failed.last('record.start')!.requestId, message: 'disk full' });
    assert.equal(failed.lastNode(), 'sorry');
    const runaway = Call.of(RECORD);
    runaway.played().played().take();
    runaway.wait(32_000);
    assert.deepEqual(runaway.log(), ['record.stop']);
    runaway.wait(5000);
    assert.equal(runaway.lastNode(), 'sorry');
  });
});
