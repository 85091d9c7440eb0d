/**
 * Speech over a real socket: a text-only prompt synthesized at load and a `say` synthesized
 * during the call arrive as playAudio frames in the call's codec, as long as the synthesized
 * speech and not silence; a call with lang=es hears the Spanish text.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import alawmulaw from 'alawmulaw';
import { rms } from '../../src/audio/pcm.js';
import { int16FromLittleEndian } from '../../src/audio/wav.js';
import type { MediaFormat } from '../../src/audio/types.js';
import { serve, writeFixture, type Fixture, type Serving } from '../support/e2e-harness.js';
import type { PlivoClient } from '../support/plivo-client.js';

const FLOW = `
ivr: 1
id: spoken
settings: { languages: [en, es] }
prompts:
  hello: { text: { en: "Thank you for calling the clinic.", es: "Gracias por llamar a la clínica." } }
vars: { doctor: "Okafor" }
nodes:
  greet:
    play: hello
    next: tell
  tell:
    play: [{ say: "Your appointment is with doctor {{ doctor }}." }]
    next: bye
  bye:
    end: {}
`;

function samplesOf(payload: string, format: MediaFormat): Int16Array {
  const bytes = Buffer.from(payload, 'base64');
  return format === 'audio/x-mulaw;rate=8000' ? alawmulaw.mulaw.decode(bytes) : int16FromLittleEndian(bytes);
}

/** The next playAudio frame's payload, after acknowledging what was queued before it. */
async function nextAudio(c: PlivoClient): Promise<{ payload: string; durationMs: number; contentType: string }> {
  const frame = await c.next((f) => f.event === 'playAudio', 20_000);
  const media = frame.json.media as { payload: string; contentType: string };
  return { payload: media.payload, durationMs: frame.durationMs!, contentType: media.contentType };
}

describe('speech, end to end', () => {
  let fixture: Fixture;
  let s: Serving;

  before(async () => {
    fixture = await writeFixture({ 'spoken.yaml': FLOW }, {});
    s = await serve([fixture.dir]);
    // Start the speech worker (its engine takes a moment to compile on a busy machine): the
    // calls below then measure speech, not the worker's start.
    await s.serving.prompts.say('spoken', 'Warming up.', 'audio/x-mulaw;rate=8000', 'en', 30_000);
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  for (const format of ['audio/x-mulaw;rate=8000', 'audio/x-l16;rate=16000'] as MediaFormat[]) {
    test(`${format}: the text prompt and the say arrive as synthesized speech in the call's codec`, async () => {
      const c = await s.call('spoken', { format });
      const hello = await nextAudio(c);
      const loaded = s.serving.prompts.get('spoken', 'hello', format, 'en')!;
      assert.equal(hello.payload, loaded.base64, 'the prompt synthesized at load');
      assert.equal(hello.contentType, format.startsWith('audio/x-mulaw') ? 'audio/x-mulaw' : 'audio/x-l16');
      assert.ok(hello.durationMs > 1200 && hello.durationMs < 6000, `a spoken sentence, got ${hello.durationMs} ms`);
      assert.ok(rms(samplesOf(hello.payload, format)) > 300, 'not silence');
      c.ackAll();
      const said = await nextAudio(c);
      const expected = await s.serving.prompts.say('spoken', 'Your appointment is with doctor Okafor.', format, 'en', 3000);
      assert.equal(said.payload, expected.base64, 'the say, synthesized from its final text');
      assert.ok(said.durationMs > 1200 && said.durationMs < 8000, `a spoken sentence, got ${said.durationMs} ms`);
      assert.ok(rms(samplesOf(said.payload, format)) > 300, 'not silence');
      c.ackAll();
      await c.next((f) => f.event === 'checkpoint', 5000);
      c.hangup();
    });
  }

  test('a call with lang=es in its extra_headers hears the Spanish text', async () => {
    const c = await s.call('spoken', { headers: { lang: 'es' } });
    const hello = await nextAudio(c);
    const es = s.serving.prompts.get('spoken', 'hello', 'audio/x-mulaw;rate=8000', 'es')!;
    const en = s.serving.prompts.get('spoken', 'hello', 'audio/x-mulaw;rate=8000', 'en')!;
    assert.notEqual(es.base64, en.base64);
    assert.equal(hello.payload, es.base64);
    c.hangup();
  });
});
