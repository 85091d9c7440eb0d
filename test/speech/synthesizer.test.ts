import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { decodeWav } from '../../src/audio/wav.js';
import { rms } from '../../src/audio/pcm.js';
import { splitCommandLine } from '../../src/speech/command-line.js';
import { commandSynthesize, programEnv } from '../../src/speech/command-engine.js';
import { Synthesizer } from '../../src/speech/synthesizer.js';
import { readOption } from '../../src/options/option-schema.js';
import { SERVE_OPTIONS } from '../../src/options/serve-options.js';
import { tempDir } from '../support/temp-dir.js';

const TONE_TTS = resolve('test/fixtures/tts/tone-tts.mjs');
const MULAW = 'audio/x-mulaw;rate=8000';
const cache = () => tempDir('ivr-tts-');
const opened: Synthesizer[] = [];
const synthesizer = (o: ConstructorParameters<typeof Synthesizer>[0]) => {
  const s = new Synthesizer(o);
  opened.push(s);
  return s;
};
after(() => Promise.all(opened.map((s) => s.close())));

describe('the bundled synthesizer (eSpeak NG in the speech worker)', () => {
  test('speaks English and Spanish into the disk cache once, keyed by engine, voice, language and text', async () => {
    const dir = cache();
    const speech = synthesizer({ cacheDir: dir });
    const en = await speech.wavFile('Thanks for calling Northside Clinic.', { language: 'en' });
    const es = await speech.wavFile('Gracias por llamar a la clínica.', { language: 'es' });
    for (const path of [en, es]) {
      const wav = decodeWav(readFileSync(path));
      assert.ok(wav.ok);
      assert.ok(wav.wav.samples.length / wav.wav.sampleRate > 1, 'more than a second of speech');
      assert.ok(rms(wav.wav.samples) > 500, 'not silence');
    }
    const before = statSync(en).mtimeMs;
    assert.equal(await speech.wavFile('Thanks for calling Northside Clinic.', { language: 'en' }), en, 'the same file');
    assert.equal(statSync(en).mtimeMs, before, 'not synthesized again');
    assert.notEqual(speech.cachePath('Hello.', { language: 'en' }), speech.cachePath('Hello.', { language: 'es' }));
    assert.notEqual(speech.cachePath('Hello.', { language: 'en' }), speech.cachePath('Hello.', { language: 'en', voice: 'en-gb' }));
    assert.deepEqual(readdirSync(dir).filter((f) => !f.endsWith('.wav')), [], 'no temporary file left');
  });

  test('say: the call format, cached by final text (the second ask is answered at once), one synthesis for concurrent asks', async () => {
    const speech = synthesizer({ cacheDir: cache() });
    const first = speech.say('Your appointment is on Tuesday.', { language: 'en' }, MULAW, 3000);
    const second = speech.say('Your appointment is on Tuesday.', { language: 'en' }, MULAW, 3000);
    assert.ok(first instanceof Promise);
    assert.equal(first, second, 'one synthesis for both');
    const audio = await first;
    assert.equal(audio.contentType, 'audio/x-mulaw');
    assert.ok(audio.durationMs > 1000);
    assert.equal(speech.say('Your appointment is on Tuesday.', { language: 'en' }, MULAW, 3000), audio, 'the cached object, at once');
  });

  test('an unknown voice and an over-long text are failures, not crashes', async () => {
    const speech = synthesizer({ cacheDir: cache() });
    await assert.rejects(Promise.resolve(speech.say('Hello.', { language: 'en', voice: 'no-such-voice' }, MULAW, 3000)), /eSpeak has no voice "no-such-voice"/);
    await assert.rejects(Promise.resolve(speech.say('a'.repeat(1001), { language: 'en' }, MULAW, 3000)), /longer than 1000/);
    await assert.rejects(Promise.resolve(speech.say('   ', { language: 'en' }, MULAW, 3000)), /empty/);
  });
});

/** A pure tone's frequency, from its sign changes (two per period), to the nearest 10 Hz. */
function toneHz(samples: ArrayLike<number>, rate: number): number {
  let changes = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) changes++;
  return Math.round((changes / 2) / (samples.length / rate) / 10) * 10;
}

describe('--tts-command', () => {
  test('gets the text on stdin and the language in IVR_TTS_LANGUAGE; its WAV is converted like a file', async () => {
    const speech = synthesizer({ command: `${process.execPath} ${TONE_TTS}`, cacheDir: cache() });
    const path = await speech.wavFile('twenty chars of text', { language: 'es' });
    const wav = decodeWav(readFileSync(path));
    assert.ok(wav.ok);
    assert.equal(wav.wav.samples.length, 20 * 400, '50 ms per character at 8 kHz');
    // The program plays 440 Hz for English and 880 Hz otherwise: the language it was given, heard.
    assert.equal(toneHz(wav.wav.samples, 8000), 880);
    const en = decodeWav(readFileSync(await speech.wavFile('twenty chars of text', { language: 'en' })));
    assert.ok(en.ok);
    assert.equal(toneHz(en.wav.samples, 8000), 440);
    const audio = await speech.say('0123456789', { language: 'en' }, 'audio/x-l16;rate=16000', 3000);
    assert.equal(audio.durationMs, 500);
    assert.equal(audio.data.length, 500 * 32, 'L16 16 kHz: 32 bytes per ms');
    assert.notEqual(speech.engineId, 'espeak-ng', 'a command is its own cache key');
  });

  test('a program that writes too much is cut off, one that hangs is killed, a failing one reports its stderr', async () => {
    const run = (mode: string, o: { maxBytes?: number; loadTimeoutMs?: number } = {}) => {
      const speech = synthesizer({ command: `${process.execPath} ${TONE_TTS}`, cacheDir: cache(), env: { TONE_TTS_MODE: mode }, ...o });
      return speech.wavFile(`text for ${mode}`, { language: 'en' });
    };
    await assert.rejects(run('flood', { maxBytes: 1024 * 1024 }), /TTS command wrote more than 1048576 bytes/);
    await assert.rejects(run('slow', { loadTimeoutMs: 500 }), /TTS command took longer than 500 ms/);
    await assert.rejects(run('fail'), /TTS command exited with 3: tone-tts: no voice for this$/);
  });

  test('say: at most maxQueuedSays different texts wait for the worker; one more fails at once, a text already waiting shares its synthesis', async () => {
    const speech = synthesizer({ command: `${process.execPath} ${TONE_TTS}`, cacheDir: cache(), maxQueuedSays: 2 });
    const first = speech.say('one', { language: 'en' }, MULAW, 3000);
    const second = speech.say('two', { language: 'en' }, MULAW, 3000);
    const over = speech.say('three', { language: 'en' }, MULAW, 3000);
    assert.equal(speech.say('one', { language: 'en' }, MULAW, 3000), first, 'no new request: it shares the synthesis in progress');
    await assert.rejects(Promise.resolve(over), /speech queue full: 2 texts are waiting to be synthesized \(limit 2\)/);
    assert.equal((await first).durationMs, 150);
    assert.equal((await second).durationMs, 150);
    // The queue has room again.
    assert.equal((await speech.say('three', { language: 'en' }, MULAW, 3000)).durationMs, 250);
  });

  test("the program's environment: PATH, HOME, the locale and what --tts-env passes, never the auth token or the server's other variables", async () => {
    const server = {
      PATH: '/usr/bin:/bin', HOME: '/home/ivr', LANG: 'C.UTF-8', LC_ALL: 'C', TONE_TTS_MODE: 'env',
      PLIVO_AUTH_TOKEN: 'secret-token', PLIVO_REGION: 'us', DATABASE_URL: 'postgres://u:p@db',
    };
    const ttsEnv = SERVE_OPTIONS.find((spec) => spec.key === 'ttsEnv')!;
    const read = readOption(ttsEnv, ['TONE_', 'PLIVO_'], server);
    assert.ok('value' in read);
    assert.deepEqual(read.value, { TONE_TTS_MODE: 'env', PLIVO_REGION: 'us' }, 'no prefix reaches the auth token');
    const allowEnv = SERVE_OPTIONS.find((spec) => spec.key === 'env')!;
    assert.deepEqual(readOption(allowEnv, ['PLIVO_'], server), { value: { PLIVO_REGION: 'us' } }, 'nor a flow (--allow-env)');
    // Whoever builds the environment, the token stays out; the proxy a cloud engine needs goes in.
    assert.deepEqual(programEnv({ HTTPS_PROXY: 'http://proxy:3128', SHELL: '/bin/sh' }, { PLIVO_AUTH_TOKEN: 'secret-token', GOOGLE_KEY: 'k' }),
      { HTTPS_PROXY: 'http://proxy:3128', GOOGLE_KEY: 'k' });
    const saved = process.env;
    process.env = server;
    try {
      const speech = synthesizer({ command: `${process.execPath} ${TONE_TTS}`, cacheDir: cache(), env: read.value });
      await assert.rejects(speech.wavFile('which environment', { language: 'en' }),
        /TTS command exited with 3: HOME IVR_TTS_LANGUAGE IVR_TTS_VOICE LANG LC_ALL PATH PLIVO_REGION TONE_TTS_MODE$/);
    } finally {
      process.env = saved;
    }
  });

  test('the command line is split into words without a shell', () => {
    assert.deepEqual(splitCommandLine(`piper --model "/srv/voices/en 1.onnx" --out 'a b' c\\ d`), ['piper', '--model', '/srv/voices/en 1.onnx', '--out', 'a b', 'c d']);
    assert.deepEqual(splitCommandLine('say $(rm -rf /)'), ['say', '$(rm', '-rf', '/)']);
    assert.throws(() => splitCommandLine('say "unclosed'), /unclosed "/);
    assert.throws(() => splitCommandLine('   '), /empty/);
  });
});

describe('a failing --tts-command', () => {
  test('its stderr line in the error shows no credential of its environment (what --tts-env passed, a proxy URL)', async () => {
    const program = {
      argv: [process.execPath, '-e', "process.stderr.write('401 for key ' + process.env.TTS_KEY + ' via ' + process.env.HTTPS_PROXY + ' \\x1b[2J in ' + process.env.HOME + '\\n'); process.exit(3)"],
      env: programEnv({ PATH: process.env.PATH, HOME: '/home/ivr', HTTPS_PROXY: 'http://user:pa55w0rd@proxy:3128' }, { TTS_KEY: 'sk-live-7a1c9e' }),
    };
    await assert.rejects(commandSynthesize(program, 'Hello.', 'en', undefined, { timeoutMs: 10_000, maxBytes: 1024 }), (err: Error) => {
      assert.equal(err.message, 'TTS command exited with 3: 401 for key *** via ***  [2J in /home/ivr');
      return true;
    });
  });
});
