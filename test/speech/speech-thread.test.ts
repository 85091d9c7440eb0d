// test:serial — a real program takes real time per request; the deadlines below are in real time.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, test } from 'node:test';
import { SpeechThread } from '../../src/speech/speech-thread.js';
import type { SynthRequest } from '../../src/speech/synth-request.js';

const TONE_TTS = resolve('test/fixtures/tts/tone-tts.mjs');
const threads: SpeechThread[] = [];
after(() => Promise.all(threads.map((t) => t.close())));

/** A request to the test's own TTS program, which answers each after a pause of 100 ms. */
function paused(text: string, timeoutMs: number): Omit<SynthRequest, 'id'> {
  return {
    engine: { kind: 'command', argv: [process.execPath, TONE_TTS], env: { TONE_TTS_MODE: 'pause', PATH: process.env.PATH ?? '' } },
    text, language: 'en', formats: [], timeoutMs, maxBytes: 1024 * 1024,
  };
}

test('a burst of slow but working syntheses all finish: a request\'s deadline counts from when the worker takes it, not from when it was queued', async () => {
  // Each request: its 1 s timeout plus 1 s of grace once it is the one being worked on. 24
  // requests of at least 100 ms each (plus a program start) take well over 2 s in all, so the
  // last ones would pass a deadline counted from the moment they were all queued.
  const thread = new SpeechThread(1000);
  threads.push(thread);
  const started = performance.now();
  const answers = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => thread.synthesize(paused(`text ${i}`, 1000))));
  const elapsed = performance.now() - started;
  assert.deepEqual(answers.map((a) => a.status), Array(24).fill('fulfilled'));
  assert.ok(elapsed > 2000, `the burst took ${Math.round(elapsed)} ms: too fast to tell the two deadlines apart`);
});
