import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { convertToFormats, encodedAudio, FORMAT_SPECS } from '../../src/audio/convert.js';
import { decodeMedia, rms } from '../../src/audio/pcm.js';
import { MEDIA_FORMATS, type EncodedAudio, type MediaFormat } from '../../src/audio/types.js';
import { decodeWav, type DecodedWav } from '../../src/audio/wav.js';
import { allMulawBytes, tone, wavBytes, zeroCrossings, type WavSpec } from './wav-fixtures.js';

function decoded(spec: WavSpec): DecodedWav {
  const result = decodeWav(wavBytes(spec));
  assert.ok(result.ok, 'fixture should decode');
  return result.wav;
}

function audioIn(map: Map<MediaFormat, EncodedAudio>, format: MediaFormat): EncodedAudio {
  const audio = map.get(format);
  assert.ok(audio, `no audio for ${format}`);
  return audio;
}

describe('conversion to the call formats', () => {
  const sources: Array<[string, WavSpec]> = [
    ['PCM16 8 kHz', { rate: 8000, bitDepth: '16', samples: tone(8000, 1000, 1000) }],
    ['PCM16 16 kHz', { rate: 16000, bitDepth: '16', samples: tone(16000, 1000, 1000) }],
    ['PCM16 44.1 kHz', { rate: 44100, bitDepth: '16', samples: tone(44100, 1000, 1000) }],
    ['PCM16 22.05 kHz', { rate: 22050, bitDepth: '16', samples: tone(22050, 1000, 1000) }],
  ];

  for (const [label, spec] of sources) {
    test(`a one-second ${label} tone lasts one second in every format, by the byte-count rule`, () => {
      const converted = convertToFormats(decoded(spec), MEDIA_FORMATS);
      const mulaw = audioIn(converted, 'audio/x-mulaw;rate=8000');
      const l16at8k = audioIn(converted, 'audio/x-l16;rate=8000');
      const l16at16k = audioIn(converted, 'audio/x-l16;rate=16000');
      // plivo-protocol.md: μ-law 8 kHz = bytes / 8000 s; L16 = bytes / (2 × rate) s.
      assert.equal(mulaw.durationMs, (mulaw.data.length / 8000) * 1000);
      assert.equal(l16at8k.durationMs, (l16at8k.data.length / (2 * 8000)) * 1000);
      assert.equal(l16at16k.durationMs, (l16at16k.data.length / (2 * 16000)) * 1000);
      for (const audio of [mulaw, l16at8k, l16at16k]) assert.ok(Math.abs(audio.durationMs - 1000) <= 1, `${audio.durationMs} ms`);
    });

    test(`a 1 kHz ${label} tone is still a 1 kHz tone of the same level after conversion`, () => {
      const source = decoded(spec);
      const converted = convertToFormats(source, MEDIA_FORMATS);
      for (const format of MEDIA_FORMATS) {
        const samples = decodeMedia(audioIn(converted, format).data, format);
        // 1000 Hz for one second crosses zero ~2000 times; aliasing or a wrong rate would not.
        const crossings = zeroCrossings(samples);
        assert.ok(Math.abs(crossings - 2000) <= 20, `${format}: ${crossings} zero crossings`);
        const level = rms(samples) / rms(source.samples);
        assert.ok(level > 0.9 && level < 1.1, `${format}: level ratio ${level}`);
      }
    });
  }

  test('sound above 4 kHz does not fold back into an 8 kHz call (anti-aliasing)', () => {
    for (const [rate, hz] of [[16000, 6000], [44100, 5000], [22050, 7000]] as const) {
      const source = decoded({ rate, bitDepth: '16', samples: tone(rate, 500, hz) });
      const converted = convertToFormats(source, MEDIA_FORMATS);
      for (const format of ['audio/x-mulaw;rate=8000', 'audio/x-l16;rate=8000'] as const) {
        const level = rms(decodeMedia(audioIn(converted, format).data, format)) / rms(source.samples);
        // Without the low-pass the tone would come back at full level as an 8 - f kHz whistle.
        assert.ok(level < 0.05, `${hz} Hz at ${rate} Hz -> ${format}: level ratio ${level.toFixed(3)}`);
      }
    }
  });

  test('a μ-law 8 kHz source reaches a μ-law call byte for byte', () => {
    // Every byte value, including 0x7F ("negative zero"), which a decode/re-encode turns into 0xFF.
    const bytes = allMulawBytes(4);
    const audio = audioIn(convertToFormats(decoded({ rate: 8000, bitDepth: '8m', samples: bytes }), MEDIA_FORMATS), 'audio/x-mulaw;rate=8000');
    assert.deepEqual(new Uint8Array(audio.data), bytes);
    assert.equal(audio.durationMs, 128);
  });

  test('a μ-law source also plays on L16 calls, decoded through G.711', () => {
    const converted = convertToFormats(decoded({ rate: 8000, bitDepth: '8m', samples: [0x00, 0x80, 0xff] }), MEDIA_FORMATS);
    const l16 = audioIn(converted, 'audio/x-l16;rate=8000');
    assert.deepEqual([...decodeMedia(l16.data, 'audio/x-l16;rate=8000')], [-32124, 32124, 0]);
    assert.equal(audioIn(converted, 'audio/x-l16;rate=16000').data.length, 12);
  });

  test('an A-law source is re-encoded for μ-law calls', () => {
    const source = decoded({ rate: 8000, bitDepth: '8a', samples: allMulawBytes(2) });
    const mulaw = audioIn(convertToFormats(source, ['audio/x-mulaw;rate=8000']), 'audio/x-mulaw;rate=8000');
    assert.equal(mulaw.data.length, 512);
    const back = decodeMedia(mulaw.data, 'audio/x-mulaw;rate=8000');
    // G.711 to G.711 stays within a quantisation step of the original level.
    for (let i = 0; i < back.length; i++) {
      const original = source.samples[i] ?? 0;
      assert.ok(Math.abs((back[i] ?? 0) - original) <= Math.max(16, Math.abs(original) / 8), `sample ${i}`);
    }
  });

  test('L16 is little-endian on the wire', () => {
    const converted = convertToFormats(decoded({ rate: 8000, bitDepth: '16', samples: [0x0102, -2] }), ['audio/x-l16;rate=8000']);
    assert.deepEqual([...audioIn(converted, 'audio/x-l16;rate=8000').data], [0x02, 0x01, 0xfe, 0xff]);
  });

  test('prepares only the formats asked for', () => {
    const converted = convertToFormats(decoded({ rate: 8000, bitDepth: '16', samples: tone(8000, 10) }), ['audio/x-l16;rate=16000']);
    assert.deepEqual([...converted.keys()], ['audio/x-l16;rate=16000']);
  });
});

describe('the pre-serialised playAudio frame', () => {
  for (const format of MEDIA_FORMATS) {
    test(`is the exact plivo-protocol.md JSON for ${format}`, () => {
      const data = Buffer.from([1, 2, 3, 250, 251, 252]);
      const audio = encodedAudio(data, format);
      const frame: unknown = JSON.parse(audio.playAudioFrame);
      assert.deepEqual(frame, {
        event: 'playAudio',
        media: { contentType: FORMAT_SPECS[format].contentType, sampleRate: FORMAT_SPECS[format].sampleRate, payload: data.toString('base64') },
      });
      assert.equal(audio.base64, data.toString('base64'));
      assert.ok(audio.playAudioFrame.startsWith('{"event":"playAudio","media":{"contentType":"audio/x-'));
    });
  }
});

describe('conversion, for any source rate and length', () => {
  test('every format holds length × target rate / source rate samples (± 1), timed by the byte rule', () => {
    fc.assert(
      fc.property(fc.constantFrom(8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000), fc.integer({ min: 1, max: 4000 }), (rate, length) => {
        const samples = Int16Array.from({ length }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
        const converted = convertToFormats({ encoding: 'pcm16', sampleRate: rate, samples }, MEDIA_FORMATS);
        for (const format of MEDIA_FORMATS) {
          const spec = FORMAT_SPECS[format];
          const audio = audioIn(converted, format);
          const count = audio.data.length / spec.bytesPerSample;
          assert.ok(Math.abs(count - (length * spec.sampleRate) / rate) <= 1, `${rate} Hz × ${length} -> ${format}: ${count}`);
          assert.equal(audio.durationMs, (count / spec.sampleRate) * 1000);
        }
      }),
      { numRuns: 60 },
    );
  });
});
