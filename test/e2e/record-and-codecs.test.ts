/**
 * All three codecs end to end: prompt audio arrives in the call's format with the right length,
 * and a `record` node writes a WAV whose length matches the audio the caller sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import alawmulaw from 'alawmulaw';
import { decodeWav } from '../../src/audio/wav.js';
import { littleEndianBytes } from '../../src/audio/convert.js';
import type { MediaFormat } from '../../src/audio/types.js';
import { E2E_FLOW, E2E_PROMPTS } from './fixture-flows.js';
import { eventually, hearPrompts, serve, tone, writeFixture, type Fixture, type Serving } from '../support/e2e-harness.js';

const CODECS: { format: MediaFormat; contentType: string; sampleRate: number; bytesPerMs: number }[] = [
  { format: 'audio/x-mulaw;rate=8000', contentType: 'audio/x-mulaw', sampleRate: 8000, bytesPerMs: 8 },
  { format: 'audio/x-l16;rate=8000', contentType: 'audio/x-l16', sampleRate: 8000, bytesPerMs: 16 },
  { format: 'audio/x-l16;rate=16000', contentType: 'audio/x-l16', sampleRate: 16000, bytesPerMs: 32 },
];

/** What the caller says, in the call's codec. */
function callerAudio(ms: number, format: MediaFormat): Buffer {
  const rate = format === 'audio/x-l16;rate=16000' ? 16000 : 8000;
  const samples = tone(ms, 440, rate, 12000);
  return format === 'audio/x-mulaw;rate=8000' ? Buffer.from(alawmulaw.mulaw.encode(samples)) : littleEndianBytes(samples);
}

describe('codecs and recording, end to end', () => {
  let fixture: Fixture;
  let s: Serving;

  before(async () => {
    fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW }, E2E_PROMPTS);
    s = await serve([fixture.dir], { recordingsDir: fixture.recordings });
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  for (const codec of CODECS) {
    test(`${codec.format}: prompts arrive in the call's codec with their full length`, async () => {
      const c = await s.call('e2e', { format: codec.format });
      assert.deepEqual(await c.nextPrompt(), ['welcome']);
      const welcome = c.frames.find((f) => f.event === 'playAudio')!;
      const media = welcome.json.media as { contentType: string; sampleRate: number };
      assert.equal(media.contentType, codec.contentType);
      assert.equal(media.sampleRate, codec.sampleRate);
      assert.equal(welcome.bytes, E2E_PROMPTS.welcome! * codec.bytesPerMs);
      assert.equal(welcome.durationMs, E2E_PROMPTS.welcome);
      c.ackAll();
      assert.deepEqual(await c.nextPrompt(), ['main_menu']);
      c.hangup();
    });

    test(`${codec.format}: a recording is a WAV as long as the audio sent`, async () => {
      const c = await s.call('e2e', { format: codec.format });
      await hearPrompts(c, 2);
      c.press('3');
      assert.deepEqual(await hearPrompts(c, 1), ['leave_message']);
      assert.deepEqual(await hearPrompts(c, 1), ['beep']); // a playback of its own: recording starts at its checkpoint
      await eventually(() => s.server.calls().find((call) => call.callId === c.callId)?.mediaGate.open === true, 'the session records');
      c.sendMedia(callerAudio(1000, codec.format));
      c.press('#');
      assert.deepEqual(await hearPrompts(c, 1), ['goodbye']);
      assert.deepEqual(await c.closed, { code: 1000, reason: 'completed' });
      const files = (await readdir(fixture.recordings)).filter((f) => f.startsWith(c.callId));
      assert.equal(files.length, 1, `one recording for ${c.callId}: ${files.join(', ')}`);
      const wav = decodeWav(await readFile(join(fixture.recordings, files[0]!)));
      assert.ok(wav.ok);
      assert.equal(wav.wav.sampleRate, codec.sampleRate);
      const ms = (wav.wav.samples.length / wav.wav.sampleRate) * 1000;
      assert.ok(Math.abs(ms - 1000) <= 20, `recording lasts ${ms} ms, sent 1000 ms`);
    });
  }
});
