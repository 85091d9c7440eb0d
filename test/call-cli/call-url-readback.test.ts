/**
 * `ivr call --url --flows` against a real server on 127.0.0.1: a sensitive PIN read back shows as
 * one `#` in every language of the flow (Spanish digits synthesized at load), a flow prompt whose
 * audio is a copy of a digit does not name that digit, and audio the index does not know (a say,
 * digits the server plays from prompts `--flows` lacks) is one line with no length. Speech is the suite's tone TTS (test/fixtures/tts/tone-tts.mjs),
 * the process's `--tts-command` for the server and for `--flows` alike.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configureSpeech, type Synthesizer } from '../../src/speech/synthesizer.js';
import { serve, type Serving } from '../support/e2e-harness.js';
import { tone, writeWav } from '../audio/wav-fixtures.js';
import { callIvr } from './support.js';

const DIR = 'test/call-cli/fixtures/url-readback';
const TONE_TTS = resolve('test/fixtures/tts/tone-tts.mjs');

/** What the server sent, without time stamps, from the last key typed on. */
function afterKeys(output: string): string[] {
  const lines = output.split('\n').map((l) => l.replace(/^\[ *\d+\.\d+s\] /, ''));
  return lines.slice(lines.findLastIndex((l) => l.startsWith('key ')) + 1).filter((l) => l.startsWith('> '));
}

describe('ivr call --url --flows and a sensitive read-back', () => {
  let s: Serving;
  let speech: Synthesizer;
  const cacheDir = mkdtempSync(join(tmpdir(), 'ivr-tts-'));
  before(async () => {
    speech = configureSpeech({ command: `${process.execPath} ${TONE_TTS}`, cacheDir });
    s = await serve([DIR]);
  });
  after(async () => {
    await s.close();
    await speech.close();
    configureSpeech({});
    rmSync(cacheDir, { recursive: true, force: true });
  });

  async function readBack(language: '1' | '2'): Promise<string> {
    const call = callIvr(['call', '--fast', '--url', `ws://127.0.0.1:${s.port}/stream/readback`, '--flows', DIR]);
    await call.waitFor(/> welcome "Enter the PIN\."/, 30_000);
    call.proc.stdin.write(language);
    await call.waitFor(/key [12]\n[^]*> welcome/);
    call.proc.stdin.write('4821');
    await call.waitFor(/call ended: \w+/, 15_000);
    assert.equal(await call.exited, 0);
    return call.output();
  }

  test('in the default language, a flow prompt copying a digit does not name the digit', async () => {
    const output = await readBack('1');
    assert.doesNotMatch(output, /four|digit-/, output);
    assert.deepEqual(afterKeys(output), ['> #', '> playing audio'], output);
  });

  test('in another language of the flow, the read-back is # and the say after it has no length', async () => {
    const output = await readBack('2');
    assert.deepEqual(afterKeys(output), ['> #', '> playing audio'], output);
  });

  test('digits the local --flows copy does not know (the server plays its own) are one line with no length, not a length per digit', async () => {
    // The served copy has digit prompts of its own, each of another length; the local index knows only the engine's.
    const served = mkdtempSync(join(tmpdir(), 'ivr-readback-'));
    cpSync(DIR, served, { recursive: true });
    for (let d = 0; d <= 9; d++) writeWav(join(served, 'prompts', `digit-${d}.wav`), { rate: 8000, bitDepth: '16', samples: tone(8000, 200 + 100 * d, 300 + 40 * d) });
    const other = await serve([served]);
    try {
      const call = callIvr(['call', '--fast', '--url', `ws://127.0.0.1:${other.port}/stream/readback`, '--flows', DIR]);
      await call.waitFor(/> welcome "Enter the PIN\."/, 30_000);
      call.proc.stdin.write('1');
      await call.waitFor(/key 1\n[^]*> welcome/);
      call.proc.stdin.write('4821');
      await call.waitFor(/call ended: \w+/, 15_000);
      assert.equal(await call.exited, 0);
      const output = call.output();
      assert.deepEqual(afterKeys(output), ['> playing audio'], output);
    } finally {
      await other.close();
      rmSync(served, { recursive: true, force: true });
    }
  });
});
