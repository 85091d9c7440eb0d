import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { decodeWav, probeWav } from '../../src/audio/wav.js';
import { allMulawBytes, extensibleWavBytes, tempDir, tone, wavBytes, writeWav } from './wav-fixtures.js';

describe('probeWav', () => {
  const dir = tempDir();

  test('reads 16-bit PCM at 8 kHz with its duration', () => {
    const path = writeWav(join(dir, 'pcm8k.wav'), { rate: 8000, bitDepth: '16', samples: tone(8000, 1500) });
    assert.deepEqual(probeWav(path), { ok: true, encoding: 'pcm16', sampleRate: 8000, channels: 1, durationMs: 1500 });
  });

  test('reads 16-bit PCM at 16 kHz and at 44.1 kHz', () => {
    const p16 = writeWav(join(dir, 'pcm16k.wav'), { rate: 16000, bitDepth: '16', samples: tone(16000, 250) });
    assert.deepEqual(probeWav(p16), { ok: true, encoding: 'pcm16', sampleRate: 16000, channels: 1, durationMs: 250 });
    const p44 = writeWav(join(dir, 'pcm44k.wav'), { rate: 44100, bitDepth: '16', samples: tone(44100, 1000) });
    assert.deepEqual(probeWav(p44), { ok: true, encoding: 'pcm16', sampleRate: 44100, channels: 1, durationMs: 1000 });
  });

  test('reads μ-law (format 7): one byte per sample', () => {
    const path = writeWav(join(dir, 'mulaw.wav'), { rate: 8000, bitDepth: '8m', samples: allMulawBytes(8) });
    assert.deepEqual(probeWav(path), { ok: true, encoding: 'mulaw', sampleRate: 8000, channels: 1, durationMs: 256 });
  });

  test('reads A-law (format 6)', () => {
    const path = writeWav(join(dir, 'alaw.wav'), { rate: 8000, bitDepth: '8a', samples: allMulawBytes(4) });
    assert.deepEqual(probeWav(path), { ok: true, encoding: 'alaw', sampleRate: 8000, channels: 1, durationMs: 128 });
  });

  test('rejects stereo: prompts must be mono', () => {
    const left = tone(8000, 100);
    const path = writeWav(join(dir, 'stereo.wav'), { channels: 2, rate: 8000, bitDepth: '16', samples: [left, left] });
    assert.deepEqual(probeWav(path), { ok: false, reason: 'stereo: prompts must be mono' });
  });

  test('rejects 24-bit PCM, 8-bit PCM and float, naming the encoding', () => {
    const samples = Array.from(tone(8000, 50));
    const p24 = writeWav(join(dir, 'pcm24.wav'), { rate: 8000, bitDepth: '24', samples });
    assert.deepEqual(probeWav(p24), { ok: false, reason: 'unsupported encoding: 24-bit PCM (use 16-bit PCM, μ-law or A-law)' });
    const p8 = writeWav(join(dir, 'pcm8.wav'), { rate: 8000, bitDepth: '8', samples: samples.map((s) => (s >> 8) + 128) });
    assert.deepEqual(probeWav(p8), { ok: false, reason: 'unsupported encoding: 8-bit PCM (use 16-bit PCM, μ-law or A-law)' });
    const pf = writeWav(join(dir, 'float.wav'), { rate: 8000, bitDepth: '32f', samples: samples.map((s) => s / 32768) });
    assert.deepEqual(probeWav(pf), { ok: false, reason: 'unsupported encoding: 32-bit float (use 16-bit PCM, μ-law or A-law)' });
  });

  test('rejects a file that is not a WAV, an empty file and a truncated header', () => {
    const garbage = join(dir, 'garbage.wav');
    writeFileSync(garbage, 'ID3\u0003 this is an mp3, honest');
    assert.deepEqual(probeWav(garbage), { ok: false, reason: 'not a WAV file' });
    const empty = join(dir, 'empty.wav');
    writeFileSync(empty, '');
    assert.deepEqual(probeWav(empty), { ok: false, reason: 'not a WAV file' });
    const truncated = join(dir, 'truncated.wav');
    writeFileSync(truncated, wavBytes({ rate: 8000, bitDepth: '16', samples: tone(8000, 10) }).subarray(0, 20));
    assert.deepEqual(probeWav(truncated), { ok: false, reason: 'not a WAV file' });
  });

  test('reads the real format of a WAVE_FORMAT_EXTENSIBLE file from its subformat', () => {
    const pcm = join(dir, 'ext-pcm.wav');
    const samples = tone(16000, 100);
    writeFileSync(pcm, extensibleWavBytes(1, 16, 16000, new Uint8Array(samples.buffer)));
    assert.deepEqual(probeWav(pcm), { ok: true, encoding: 'pcm16', sampleRate: 16000, channels: 1, durationMs: 100 });
    const mulaw = join(dir, 'ext-mulaw.wav');
    writeFileSync(mulaw, extensibleWavBytes(7, 8, 8000, allMulawBytes(2)));
    assert.deepEqual(probeWav(mulaw), { ok: true, encoding: 'mulaw', sampleRate: 8000, channels: 1, durationMs: 64 });
    const float = join(dir, 'ext-float.wav');
    writeFileSync(float, extensibleWavBytes(3, 32, 8000, new Uint8Array(64)));
    assert.deepEqual(probeWav(float), { ok: false, reason: 'unsupported encoding: 32-bit float (use 16-bit PCM, μ-law or A-law)' });
  });

  test('names a compressed format it cannot play', () => {
    const path = join(dir, 'gsm.wav');
    writeFileSync(path, extensibleWavBytes(49, 8, 8000, new Uint8Array(65)));
    assert.deepEqual(probeWav(path), { ok: false, reason: 'unsupported encoding: GSM 6.10 (use 16-bit PCM, μ-law or A-law)' });
  });

  test('rejects a WAV with no audio in it', () => {
    const path = writeWav(join(dir, 'silent-header.wav'), { rate: 8000, bitDepth: '16', samples: [] });
    assert.deepEqual(probeWav(path), { ok: false, reason: 'empty: the file holds no audio' });
  });

  test('says "file not found" for a missing file and names a folder', () => {
    assert.deepEqual(probeWav(join(dir, 'nope.wav')), { ok: false, reason: 'file not found' });
    const folder = join(dir, 'folder.wav');
    mkdirSync(folder);
    assert.deepEqual(probeWav(folder), { ok: false, reason: 'a folder, not a file' });
  });

  test('a prompt replaced by a link after its path was resolved is worded as such; a real loop as a link loop', (t) => {
    const outside = writeWav(join(dir, 'outside.wav'), { rate: 8000, bitDepth: '16', samples: tone(8000, 100) });
    const swapped = join(dir, 'swapped.wav');
    symlinkSync(outside, swapped);
    // The path resolved to itself (a regular file then); the link appeared before the open.
    const realpath = fs.realpathSync;
    t.mock.method(fs, 'realpathSync', (path: fs.PathLike) => (String(path) === swapped ? swapped : realpath(path)));
    syncBuiltinESMExports();
    try {
      assert.deepEqual(probeWav(swapped), { ok: false, reason: "replaced by a link while it was being read; only files inside the flow's folder are played" });
    } finally {
      t.mock.restoreAll();
      syncBuiltinESMExports();
    }
    const loop = join(dir, 'loop.wav');
    symlinkSync(loop, loop);
    assert.deepEqual(probeWav(loop), { ok: false, reason: 'not readable (a link loop)' });
  });
});

describe('decodeWav', () => {
  test('gives 16-bit PCM samples back exactly, at the file rate', () => {
    const samples = tone(16000, 20);
    const decoded = decodeWav(wavBytes({ rate: 16000, bitDepth: '16', samples }));
    assert.ok(decoded.ok);
    assert.equal(decoded.wav.sampleRate, 16000);
    assert.deepEqual(decoded.wav.samples, samples);
  });

  test('decodes μ-law to samples and keeps the original bytes untouched', () => {
    const bytes = allMulawBytes();
    const decoded = decodeWav(wavBytes({ rate: 8000, bitDepth: '8m', samples: bytes }));
    assert.ok(decoded.ok);
    assert.equal(decoded.wav.encoding, 'mulaw');
    assert.deepEqual(new Uint8Array(decoded.wav.mulaw ?? []), bytes);
    // G.711 μ-law: byte 0x00 is the most negative level, 0x80 the most positive, 0xFF zero.
    assert.equal(decoded.wav.samples[0], -32124);
    assert.equal(decoded.wav.samples[0x80], 32124);
    assert.equal(decoded.wav.samples[0xff], 0);
  });

  test('decodes A-law to samples', () => {
    const decoded = decodeWav(wavBytes({ rate: 8000, bitDepth: '8a', samples: [0xd5, 0x55, 0x2a] }));
    assert.ok(decoded.ok);
    assert.equal(decoded.wav.encoding, 'alaw');
    // 0xD5/0x55 are the two smallest A-law levels (±8); 0x2A is the most negative.
    assert.deepEqual([...decoded.wav.samples], [8, -8, -32256]);
  });

  test('decodes an EXTENSIBLE μ-law file like a plain one', () => {
    const bytes = allMulawBytes();
    const decoded = decodeWav(extensibleWavBytes(7, 8, 8000, bytes));
    assert.ok(decoded.ok);
    assert.equal(decoded.wav.encoding, 'mulaw');
    assert.deepEqual(new Uint8Array(decoded.wav.mulaw ?? []), bytes);
    assert.equal(decoded.wav.samples[0xff], 0);
  });

  test('returns the same reason as probeWav for a stereo file', () => {
    const left = tone(8000, 10);
    assert.deepEqual(decodeWav(wavBytes({ channels: 2, rate: 8000, bitDepth: '16', samples: [left, left] })), {
      ok: false,
      reason: 'stereo: prompts must be mono',
    });
  });
});
