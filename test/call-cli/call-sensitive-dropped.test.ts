/**
 * `ivr call` (local) shows each audio frame as the item of the playback that sent it. A playback
 * held for its speech and then cleared by a key, or dropped because its speech failed, never
 * sends its frames: what it would have shown (a value read by name) must not name the frames of a
 * later read-back of a sensitive value with the same digits. Speech comes from the suite's tone
 * TTS (test/fixtures/tts/tone-tts.mjs), run as the process's `--tts-command`.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configureSpeech, type Synthesizer } from '../../src/speech/synthesizer.js';
import { callIvr } from './support.js';

const DIR = 'test/call-cli/fixtures/sensitive-dropped';
const TONE_TTS = resolve('test/fixtures/tts/tone-tts.mjs');

/** The lines without their time stamps. */
const linesOf = (output: string): string[] => output.split('\n').map((l) => l.replace(/^\[ *\d+\.\d+s\] /, ''));
/** The shown lines of a node, up to the next node. */
function section(lines: string[], node: string): string[] {
  const start = lines.indexOf(`-- ${node}`);
  assert.ok(start >= 0, `no node ${node}:\n${lines.join('\n')}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('-- '));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l.startsWith('> '));
}
/** Calls `flow` (--fast), waits for `ready` and types `pin`: the output once the call ended. */
async function callTyping(flow: string, pin: string, ready: RegExp, first?: { key: string; when: RegExp }): Promise<string> {
  const call = callIvr(['call', `${DIR}/${flow}.yaml`, '--fast']);
  if (first) {
    await call.waitFor(first.when);
    call.proc.stdin.write(first.key);
  }
  await call.waitFor(ready);
  call.proc.stdin.write(pin);
  await call.waitFor(/call ended: \w+/, 15_000);
  assert.equal(await call.exited, 0);
  return call.output();
}
const DIGIT_NAMED = /digit-|number-|hundred|\b(zero|four|eight|two|one)\b/i;

describe('ivr call and playbacks that never sent their audio', () => {
  const caches: string[] = [];
  let speech: Synthesizer | undefined;
  /** The process's speech: the tone TTS in `mode` (`slow` never answers, `fail` exits with an error). */
  function speak(mode: string): void {
    const cacheDir = mkdtempSync(join(tmpdir(), 'ivr-tts-'));
    caches.push(cacheDir);
    void speech?.close();
    speech = configureSpeech({ command: `${process.execPath} ${TONE_TTS}`, cacheDir, env: { TONE_TTS_MODE: mode } });
  }
  after(async () => {
    await speech?.close();
    configureSpeech({});
    for (const dir of caches) rmSync(dir, { recursive: true, force: true });
  });

  test('a key pressed while a say is synthesized clears it; the PIN read back later is #', async () => {
    speak('slow');
    const output = await callTyping('barge', '4821', /-- ask\n.*> welcome/, { key: '5', when: /> say "Your account number is"/ });
    const lines = linesOf(output);
    assert.ok(lines.includes('audio cleared'), output);
    assert.deepEqual(section(lines, 'readback'), ['> #'], output);
    assert.doesNotMatch(output, DIGIT_NAMED, output);
  });

  test('a say whose speech fails drops its playback; the PIN read back later is #', async () => {
    speak('fail');
    const output = await callTyping('failed-say', '4821', /error: say: [^]*> welcome/);
    assert.deepEqual(section(linesOf(output), 'readback'), ['> #'], output);
    assert.doesNotMatch(output, DIGIT_NAMED, output);
  });

  test('values derived from a PIN with a leading zero (int, substring) are # though the same audio was named before', async () => {
    const output = await callTyping('leading-zero', '0482', /-- ask\n.*> welcome/);
    const lines = linesOf(output);
    // The account (not sensitive) is read by name: the same frames the PIN's values use.
    assert.ok(section(lines, 'first').includes('> digit-8 "eight" (0.3 s)'), output);
    assert.deepEqual(section(lines, 'readback'), ['> #', '> silence (0.2 s)', '> #'], output);
  });
});
