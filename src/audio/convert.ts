import { endianness } from 'node:os';
import alawmulaw from 'alawmulaw';
import wavefile from 'wavefile';
import type { EncodedAudio, MediaFormat } from './types.js';
import { int16FromLittleEndian, type DecodedWav } from './wav.js';

/**
 * Conversion of decoded prompts to the three call formats, done once at load so the call path
 * only sends prepared frames. Facts from plivo-protocol.md: `playAudio` carries raw audio (no
 * WAV header) whose contentType/sampleRate match the call's; L16 is 16-bit little-endian;
 * duration is bytes / 8000 s for μ-law and bytes / (2 × rate) s for L16.
 */

export interface FormatSpec {
  contentType: EncodedAudio['contentType'];
  sampleRate: EncodedAudio['sampleRate'];
  bytesPerSample: 1 | 2;
}

export const FORMAT_SPECS: Readonly<Record<MediaFormat, FormatSpec>> = {
  'audio/x-mulaw;rate=8000': { contentType: 'audio/x-mulaw', sampleRate: 8000, bytesPerSample: 1 },
  'audio/x-l16;rate=8000': { contentType: 'audio/x-l16', sampleRate: 8000, bytesPerSample: 2 },
  'audio/x-l16;rate=16000': { contentType: 'audio/x-l16', sampleRate: 16000, bytesPerSample: 2 },
};

/** Playing time of `bytes` of raw audio in `format` (plivo-protocol.md: μ-law bytes / 8000 s, L16 bytes / (2 × rate) s). */
export function audioDurationMs(bytes: number, format: MediaFormat): number {
  const spec = FORMAT_SPECS[format];
  return (bytes / spec.bytesPerSample / spec.sampleRate) * 1000;
}

/**
 * Converts one decoded prompt to each of `formats`. A μ-law 8 kHz source reaches a μ-law call
 * byte for byte (a decode/re-encode round trip is not lossless in G.711 for every byte); every
 * other path goes through 16-bit samples, resampled at most once per target rate.
 */
export function convertToFormats(wav: DecodedWav, formats: readonly MediaFormat[]): Map<MediaFormat, EncodedAudio> {
  const atRate = new Map<number, Int16Array>();
  const samplesAt = (rate: number): Int16Array => {
    let samples = atRate.get(rate);
    if (samples === undefined) {
      samples = resample(wav.samples, wav.sampleRate, rate);
      atRate.set(rate, samples);
    }
    return samples;
  };
  const out = new Map<MediaFormat, EncodedAudio>();
  for (const format of formats) {
    const spec = FORMAT_SPECS[format];
    let data: Buffer;
    if (spec.contentType === 'audio/x-mulaw') {
      data = wav.mulaw !== undefined && wav.sampleRate === 8000
        ? wav.mulaw
        : bufferOf(alawmulaw.mulaw.encode(samplesAt(spec.sampleRate)));
    } else {
      data = littleEndianBytes(samplesAt(spec.sampleRate));
    }
    out.set(format, encodedAudio(data, format));
  }
  return out;
}

const PAYLOAD_KEY = '"payload":"';
const FRAME_END = '"}}';

/**
 * Wraps raw call-format bytes as `EncodedAudio`, with the base64 text and the whole `playAudio`
 * frame serialised here, once, so a call sends the shared string as is.
 */
export function encodedAudio(data: Buffer, format: MediaFormat): EncodedAudio {
  return audioWithFrame(data, format, playAudioFrame(FORMAT_SPECS[format], data.toString('base64')));
}

/**
 * `EncodedAudio` from its bytes and its already serialised `playAudio` frame (audio that crossed
 * from the reload worker thread arrives as these two).
 */
export function audioWithFrame(data: Buffer, format: MediaFormat, frame: string): EncodedAudio {
  const spec = FORMAT_SPECS[format];
  // `base64` is cut out of the frame rather than kept on its own: V8 then stores the slice as a
  // view into the frame's characters, so the text of a prompt is in memory once, not twice
  // (measured: 53 MB instead of 107 MB for 53 MB of base64).
  const start = frame.indexOf(PAYLOAD_KEY) + PAYLOAD_KEY.length;
  return {
    contentType: spec.contentType,
    sampleRate: spec.sampleRate,
    data,
    base64: frame.slice(start, frame.length - FRAME_END.length),
    durationMs: audioDurationMs(data.length, format),
    playAudioFrame: frame,
  };
}

/** `{"event":"playAudio","media":{...}}` exactly as plivo-protocol.md writes it. */
export function playAudioFrame(spec: Pick<FormatSpec, 'contentType' | 'sampleRate'>, base64: string): string {
  // Built by hand rather than JSON.stringify: base64 and the content type need no escaping, and
  // the key order is then fixed by this line rather than by an object literal somewhere else.
  return `{"event":"playAudio","media":{"contentType":"${spec.contentType}","sampleRate":${spec.sampleRate},${PAYLOAD_KEY}${base64}${FRAME_END}`;
}

// Cubic interpolation plus wavefile's Butterworth low-pass at the lower rate's Nyquist frequency,
// run forward and backward (zero phase). Order 8 instead of the default 16: the same stop-band
// on a 6 kHz tone going 16 -> 8 kHz (-54 dB) in 60% of the time (test/audio/convert.test.ts).
const RESAMPLE_OPTIONS = { method: 'cubic', LPF: true, LPFType: 'IIR', LPForder: 8 };

/**
 * Samples at another rate, through wavefile's resampler (see RESAMPLE_OPTIONS).
 * The samples go in and out as raw little-endian bytes of the WaveFile's data chunk: wavefile's
 * per-sample packing (`fromScratch`, `getSamples`) would otherwise cost more than the filter.
 */
export function resample(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to || samples.length === 0) return samples;
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, from, '16', []);
  const data = wav.data as { samples: Uint8Array; chunkSize: number };
  data.samples = littleEndianBytes(samples);
  data.chunkSize = data.samples.length;
  wav.toSampleRate(to, RESAMPLE_OPTIONS);
  const out = (wav.data as { samples: Uint8Array }).samples;
  return int16FromLittleEndian(out);
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** 16-bit samples as L16 bytes (little-endian on the wire whatever the host). */
export function littleEndianBytes(samples: Int16Array): Buffer {
  const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap16();
}

function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
