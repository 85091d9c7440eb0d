import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import alawmulaw from 'alawmulaw';
import { decodeMedia, encodeWav, rms, sampleRateOf } from '../../src/audio/pcm.js';
import { decodeWav } from '../../src/audio/wav.js';
import { tone } from './wav-fixtures.js';

describe('decodeMedia: inbound media payloads for recording', () => {
  test('decodes μ-law payloads through G.711', () => {
    const samples = tone(8000, 20, 300, 20000);
    const decoded = decodeMedia(alawmulaw.mulaw.encode(samples), 'audio/x-mulaw;rate=8000');
    assert.equal(decoded.length, samples.length);
    for (let i = 0; i < samples.length; i++) {
      const original = samples[i] ?? 0;
      assert.ok(Math.abs((decoded[i] ?? 0) - original) <= Math.max(8, Math.abs(original) / 16), `sample ${i}`);
    }
  });

  test('reads L16 payloads as little-endian samples, exactly', () => {
    const payload = Buffer.from([0x02, 0x01, 0xfe, 0xff, 0x00, 0x80]);
    assert.deepEqual([...decodeMedia(payload, 'audio/x-l16;rate=8000')], [0x0102, -2, -32768]);
    assert.deepEqual([...decodeMedia(payload, 'audio/x-l16;rate=16000')], [0x0102, -2, -32768]);
  });

  test('drops an odd trailing byte of an L16 payload instead of misreading it', () => {
    assert.deepEqual([...decodeMedia(Buffer.from([0x10, 0x00, 0x7f]), 'audio/x-l16;rate=8000')], [16]);
  });

  test('reads a payload that sits at an odd offset of a larger buffer', () => {
    const frame = Buffer.from([0xaa, 0x03, 0x00, 0x04, 0x00]);
    assert.deepEqual([...decodeMedia(frame.subarray(1), 'audio/x-l16;rate=8000')], [3, 4]);
  });
});

describe('rms: the energy a recorder compares with its silence threshold', () => {
  test('is 0 for silence and for no samples', () => {
    assert.equal(rms(new Int16Array(160)), 0);
    assert.equal(rms(new Int16Array(0)), 0);
  });

  test('is the amplitude over √2 for a sine and the amplitude for a square wave', () => {
    assert.ok(Math.abs(rms(tone(8000, 1000, 1000, 10000)) - 10000 / Math.SQRT2) < 5);
    assert.equal(rms(Int16Array.from({ length: 100 }, (_, i) => (i % 2 ? 3000 : -3000))), 3000);
  });
});

describe('encodeWav: recordings as PCM16 WAV files', () => {
  test('writes a mono PCM16 WAV at the call rate that reads back sample for sample', () => {
    const samples = tone(16000, 100);
    const decoded = decodeWav(encodeWav(samples, 16000));
    assert.ok(decoded.ok);
    assert.equal(decoded.wav.encoding, 'pcm16');
    assert.equal(decoded.wav.sampleRate, 16000);
    assert.deepEqual(decoded.wav.samples, samples);
  });

  test('starts with a RIFF/WAVE header', () => {
    const bytes = encodeWav(new Int16Array(8), 8000);
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'RIFF');
    assert.equal(bytes.subarray(8, 12).toString('latin1'), 'WAVE');
    assert.equal(bytes.length, 44 + 16);
  });

  test('knows each call format’s rate', () => {
    assert.equal(sampleRateOf('audio/x-mulaw;rate=8000'), 8000);
    assert.equal(sampleRateOf('audio/x-l16;rate=8000'), 8000);
    assert.equal(sampleRateOf('audio/x-l16;rate=16000'), 16000);
  });
});
