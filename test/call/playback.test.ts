import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL, scriptedCall } from './support/harness.js';

const welcome = { prompt: 'welcome', flow: 'script' };
const menu = { prompt: 'menu', flow: 'script' };

describe('playback', () => {
  test('sends each prompt as its playAudio frame, then one checkpoint', () => {
    const { transport } = scriptedCall({
      start: [{ type: 'play', playbackId: 1, items: [welcome, { silenceMs: 500 }, menu], bargeIn: true }],
    });
    // μ-law 8 kHz: 8 bytes per ms.
    assert.deepEqual(transport.take(), ['playAudio 8000', 'playAudio 4000', 'playAudio 20000', 'checkpoint p1.1']);
  });

  test('the checkpoint carries the call stream id and a name unique in the call', () => {
    const { transport } = scriptedCall({
      start: [
        { type: 'play', playbackId: 1, items: [welcome], bargeIn: true },
        { type: 'play', playbackId: 2, items: [menu], bargeIn: true },
      ],
    });
    const checkpoints = transport.frames.filter((f) => f.event === 'checkpoint');
    assert.deepEqual(checkpoints, [
      { event: 'checkpoint', streamId: CALL.streamId, name: 'p1.1' },
      { event: 'checkpoint', streamId: CALL.streamId, name: 'p2.2' },
    ]);
  });

  test('playedStream for the checkpoint tells the machine the playback finished', () => {
    const { session, received } = scriptedCall({ start: [{ type: 'play', playbackId: 7, items: [welcome], bargeIn: true }] });
    session.played('p7.1');
    assert.deepEqual(received(), [{ type: 'playback.finished', playbackId: 7 }]);
  });

  test('unknown and repeated checkpoint names are ignored', () => {
    const { session, received } = scriptedCall({ start: [{ type: 'play', playbackId: 1, items: [welcome], bargeIn: true }] });
    session.played('p9.9');
    session.played('p1.1');
    session.played('p1.1');
    assert.deepEqual(received(), [{ type: 'playback.finished', playbackId: 1 }]);
  });

  test('acknowledging a later checkpoint finishes the earlier ones first, in queue order', () => {
    const { session, received } = scriptedCall({
      start: [
        { type: 'play', playbackId: 1, items: [welcome], bargeIn: false },
        { type: 'play', playbackId: 2, items: [menu], bargeIn: false },
      ],
    });
    session.played('p2.2');
    assert.deepEqual(received(), [
      { type: 'playback.finished', playbackId: 1 },
      { type: 'playback.finished', playbackId: 2 },
    ]);
  });

  test('with no playedStream, a playback finishes after its duration plus the grace, and says so in the log', () => {
    const { clock, received, log } = scriptedCall(
      { start: [{ type: 'play', playbackId: 1, items: [welcome], bargeIn: true }] },
      { playbackGraceMs: 2000 },
    );
    clock.advance(2999);
    assert.deepEqual(received(), []);
    clock.advance(1);
    assert.deepEqual(received(), [{ type: 'playback.finished', playbackId: 1 }]);
    assert.match(log.text(), /warn no playedStream for checkpoint/);
  });

  test('the fallback of a queued playback counts the audio queued before it', () => {
    const { clock, received } = scriptedCall(
      {
        start: [
          { type: 'play', playbackId: 1, items: [welcome], bargeIn: false },
          { type: 'play', playbackId: 2, items: [menu], bargeIn: false },
        ],
      },
      { playbackGraceMs: 100 },
    );
    clock.advance(1100);
    assert.deepEqual(received(), [{ type: 'playback.finished', playbackId: 1 }]);
    clock.advance(3499 - 1100);
    assert.equal(received().length, 1, 'welcome (1 s) then menu (2.5 s) are heard 3.5 s after sending');
    clock.advance(101);
    assert.deepEqual(received()[1], { type: 'playback.finished', playbackId: 2 });
  });

  test('an early playedStream shortens the wait of the audio queued after it: its fallback counts from the acknowledgement', () => {
    const { clock, session, received } = scriptedCall(
      {
        start: [{ type: 'play', playbackId: 1, items: [welcome], bargeIn: false }],
        'playback.finished:1': [{ type: 'play', playbackId: 2, items: [menu], bargeIn: false }],
      },
      { playbackGraceMs: 100 },
    );
    clock.advance(200);
    session.played('p1.1');
    // welcome was reckoned to end at 1000 ms but ended at 200: menu (2.5 s) is heard by 2700 ms, not 3500; then the 100 ms grace.
    clock.advance(2599);
    assert.deepEqual(received(), [{ type: 'playback.finished', playbackId: 1 }]);
    clock.advance(1);
    assert.deepEqual(received()[1], { type: 'playback.finished', playbackId: 2 });
  });

  test('an acknowledged playback never finishes a second time by its fallback', () => {
    const { clock, session, received } = scriptedCall({ start: [{ type: 'play', playbackId: 1, items: [welcome], bargeIn: true }] });
    session.played('p1.1');
    assert.equal(clock.pending(), 0);
    clock.advance(60_000);
    assert.equal(received().length, 1);
  });

  test('after clear, checkpoints sent before it are dead: their acks are ignored and their fallbacks cancelled', () => {
    const { clock, session, transport, received } = scriptedCall({
      start: [{ type: 'play', playbackId: 1, items: [welcome], bargeIn: true }],
      'dtmf:1': [{ type: 'clear' }, { type: 'play', playbackId: 2, items: [menu], bargeIn: true }],
    });
    session.dtmf('1');
    assert.deepEqual(transport.take(), ['playAudio 8000', 'checkpoint p1.1', 'clearAudio', 'playAudio 20000', 'checkpoint p2.2']);
    session.played('p1.1');
    assert.deepEqual(received(), [{ type: 'dtmf', digit: '1', at: clock.now() }], 'the stale ack is ignored');
    assert.equal(clock.pending(), 1, 'only the new playback still has a fallback');
    session.played('p2.2');
    assert.deepEqual(received().at(-1), { type: 'playback.finished', playbackId: 2 });
  });

  test('clearAudio carries the stream id', () => {
    const { transport } = scriptedCall({ start: [{ type: 'clear' }] });
    assert.deepEqual(transport.frames, [{ event: 'clearAudio', streamId: CALL.streamId }]);
  });

  test('a prompt with no audio is logged as an error and skipped; the checkpoint is still sent', () => {
    const { transport, log } = scriptedCall({
      start: [{ type: 'play', playbackId: 1, items: [{ prompt: 'nope', flow: 'script' }, welcome], bargeIn: true }],
    });
    assert.deepEqual(transport.take(), ['playAudio 8000', 'checkpoint p1.1']);
    assert.match(log.text(), /error prompt has no audio: skipped \{"prompt":"nope"/);
  });

  test('frames use the call format: L16 16 kHz is 32 bytes per ms', () => {
    const { transport } = scriptedCall(
      { start: [{ type: 'play', playbackId: 1, items: [welcome], bargeIn: true }] },
      { format: 'audio/x-l16;rate=16000' },
    );
    const media = transport.frames[0]?.media as { contentType: string; sampleRate: number; payload: string };
    assert.equal(media.contentType, 'audio/x-l16');
    assert.equal(media.sampleRate, 16000);
    assert.equal(Buffer.from(media.payload, 'base64').length, 32_000);
  });
});
