/** The Plivo-like playback queue of `ivr call`, on simulated time. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PlivoPlayback } from '../../src/try/plivo-playback.js';
import { SimClock } from '../../src/testing/sim-clock.js';

function queue(instant = false) {
  const clock = new SimClock();
  const events: string[] = [];
  const at = (): number => clock.now() - start;
  const start = clock.now();
  const playback = new PlivoPlayback({ clock, instant, played: (n) => events.push(`${at()} played ${n}`), cleared: () => events.push(`${at()} cleared`) });
  return { clock, events, playback };
}

describe('ivr call playback queue', () => {
  test('acknowledges a checkpoint once the audio queued before it has played, back to back', () => {
    const { clock, events, playback } = queue();
    playback.audio(1400);
    playback.checkpoint('welcome#1');
    playback.audio(600);
    playback.checkpoint('menu#2');
    clock.advance(1399);
    assert.deepEqual(events, []);
    clock.advance(1);
    assert.deepEqual(events, ['1400 played welcome#1']);
    clock.advance(600);
    assert.deepEqual(events, ['1400 played welcome#1', '2000 played menu#2']);
  });

  test('a cleared checkpoint is never acknowledged; audio queued after the clear starts then', () => {
    const { clock, events, playback } = queue();
    playback.audio(5000);
    playback.checkpoint('menu#1');
    clock.advance(1000);
    playback.clear();
    playback.audio(300);
    playback.checkpoint('next#2');
    clock.advance(10_000);
    assert.deepEqual(events, ['1000 cleared', '1300 played next#2']);
  });

  test('--fast: acknowledged at once (on the next timer turn), whatever the length', () => {
    const { clock, events, playback } = queue(true);
    playback.audio(9000);
    playback.checkpoint('menu#1');
    assert.deepEqual(events, [], 'not inside the send');
    clock.advance(0);
    assert.deepEqual(events, ['0 played menu#1']);
  });

  test('audio starts when the audio before it has played; audio cleared before it starts never does', () => {
    const { clock, events, playback } = queue();
    const start = clock.now();
    const started = (name: string) => () => events.push(`${clock.now() - start} starts ${name}`);
    playback.audio(1000, started('a'));
    playback.audio(500, started('b'));
    playback.audio(500, started('c'));
    assert.deepEqual(events, ['0 starts a']);
    clock.advance(1200);
    assert.deepEqual(events, ['0 starts a', '1000 starts b']);
    playback.clear();
    clock.advance(5000);
    assert.deepEqual(events, ['0 starts a', '1000 starts b', '1200 cleared']);
  });

  test('after stop nothing is acknowledged', () => {
    const { clock, events, playback } = queue();
    playback.audio(100);
    playback.checkpoint('a#1');
    playback.stop();
    clock.advance(1000);
    assert.deepEqual(events, []);
  });
});
