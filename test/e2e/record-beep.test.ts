/**
 * The record beep over a real socket: the beep goes out with a checkpoint of its own, and the
 * recording holds exactly what the caller sent after Plivo acknowledged it — nothing from while
 * the beep was playing, no silence the caller did not send.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { littleEndianBytes } from '../../src/audio/convert.js';
import { decodeWav } from '../../src/audio/wav.js';
import { CHECKPOINT_NAME_MAX_LENGTH } from '../../src/call/outbound-frames.js';
import { voicemailFlow, VOICEMAIL_PROMPTS } from './fixture-flows.js';
import { eventually, hearPrompts, serve, tone, writeFixture, type Fixture, type Serving } from '../support/e2e-harness.js';


/** A real recorded word (the shipped "days" prompt, PCM16 8 kHz): what the caller says. */
async function spokenWord(): Promise<Int16Array> {
  const decoded = decodeWav(await readFile('flows/prompts/en/days.wav'));
  assert.ok(decoded.ok);
  assert.equal(decoded.wav.sampleRate, 8000);
  return decoded.wav.samples;
}

describe('the record beep, end to end', () => {
  let fixture: Fixture;
  let s: Serving;

  before(async () => {
    fixture = await writeFixture({ 'voicemail.yaml': voicemailFlow() }, VOICEMAIL_PROMPTS);
    s = await serve([fixture.dir], { recordingsDir: fixture.recordings });
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  test('the recording starts at the beep\'s checkpoint: what the line carried during the beep is not in it', async () => {
    const format = 'audio/x-l16;rate=8000';
    const c = await s.call('voicemail', { format });
    const session = () => s.server.calls().find((call) => call.callId === c.callId);
    assert.deepEqual(await hearPrompts(c, 1), ['leave_message']);

    // The beep: its audio, then a checkpoint of its own, which this client does not acknowledge yet.
    assert.deepEqual(await c.nextPrompt(), ['beep']);
    const [beepCheckpoint, ...others] = c.pendingCheckpoints();
    assert.equal(others.length, 0);
    assert.ok(beepCheckpoint!.length <= CHECKPOINT_NAME_MAX_LENGTH, beepCheckpoint);
    assert.equal(session()?.mediaGate.open, false, 'nothing is captured while the beep plays');

    // The line while the beep plays (the caller talking over it, 400 ms): not part of the message.
    c.sendMedia(littleEndianBytes(tone(400, 1000, 8000, 12000)));
    c.ackAll();
    await eventually(() => session()?.mediaGate.open === true, 'the recording to start at the beep\'s playedStream');

    // After the beep: a 200 ms pause, then a real spoken word, then # to finish.
    const pause = new Int16Array(1600);
    const word = await spokenWord();
    c.sendMedia(littleEndianBytes(pause));
    c.sendMedia(littleEndianBytes(word));
    c.press('#');
    assert.deepEqual(await hearPrompts(c, 1), ['goodbye']);
    assert.deepEqual(await c.closed, { code: 1000, reason: 'saved' });

    const files = (await readdir(fixture.recordings)).filter((f) => f.startsWith(c.callId));
    assert.equal(files.length, 1, files.join(', '));
    const wav = decodeWav(await readFile(join(fixture.recordings, files[0]!)));
    assert.ok(wav.ok);
    assert.equal(wav.wav.sampleRate, 8000);
    // L16 is kept sample for sample: the file is exactly the pause and the word, in order.
    const expected = new Int16Array(pause.length + word.length);
    expected.set(word, pause.length);
    assert.equal(wav.wav.samples.length, expected.length, `${wav.wav.samples.length} samples recorded, ${expected.length} sent after the beep`);
    assert.deepEqual(Buffer.from(wav.wav.samples.buffer, wav.wav.samples.byteOffset, wav.wav.samples.byteLength), littleEndianBytes(expected));
  });
});
