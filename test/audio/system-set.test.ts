import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_PROMPT_NAMES, SYSTEM_PROMPTS_DIR } from '../../src/audio/system-set.js';
import { decodeWav, probeWav } from '../../src/audio/wav.js';
import { rms } from '../../src/audio/pcm.js';

describe('the English system prompt set', () => {
  test('names the words flow-language.md lists, plus beep', () => {
    const expected = [
      ...Array.from({ length: 10 }, (_, n) => `digit-${n}`),
      ...Array.from({ length: 10 }, (_, n) => `number-${10 + n}`),
      ...Array.from({ length: 8 }, (_, n) => `number-${20 + 10 * n}`),
      'hundred', 'thousand', 'million', 'minus', 'point', 'beep',
    ];
    assert.deepEqual([...SYSTEM_PROMPT_NAMES].sort(), expected.sort());
  });

  test('has exactly one WAV per name and nothing else', () => {
    const files = readdirSync(join(SYSTEM_PROMPTS_DIR, 'en')).sort();
    assert.deepEqual(files, SYSTEM_PROMPT_NAMES.map((name) => `${name}.wav`).sort());
  });

  for (const name of SYSTEM_PROMPT_NAMES) {
    test(`${name}.wav is short 8 kHz mono PCM16, trimmed of silence`, () => {
      const path = join(SYSTEM_PROMPTS_DIR, 'en', `${name}.wav`);
      const probe = probeWav(path);
      assert.ok(probe.ok, probe.ok ? '' : probe.reason);
      assert.deepEqual([probe.encoding, probe.sampleRate, probe.channels], ['pcm16', 8000, 1]);
      assert.ok(probe.durationMs >= 100 && probe.durationMs <= 1000, `${probe.durationMs} ms`);
      const decoded = decodeWav(readFileSync(path));
      assert.ok(decoded.ok);
      // Trimmed: the first and last 20 ms are not dead air (speech or the beep's fade).
      const edge = 160;
      const head = decoded.wav.samples.subarray(0, edge);
      const tail = decoded.wav.samples.subarray(-edge);
      assert.ok(rms(head) > 50 && rms(tail) > 50, `head ${rms(head)}, tail ${rms(tail)}`);
    });
  }

  test('beep is a 250 ms tone at 1 kHz', () => {
    const decoded = decodeWav(readFileSync(join(SYSTEM_PROMPTS_DIR, 'en', 'beep.wav')));
    assert.ok(decoded.ok);
    assert.equal(decoded.wav.samples.length, 2000);
    let crossings = 0;
    const s = decoded.wav.samples;
    for (let i = 1; i < s.length; i++) if (((s[i - 1] ?? 0) < 0) !== ((s[i] ?? 0) < 0)) crossings++;
    assert.ok(Math.abs(crossings - 500) <= 5, `${crossings} zero crossings`);
  });
});
