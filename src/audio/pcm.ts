import alawmulaw from 'alawmulaw';
import wavefile from 'wavefile';
import { FORMAT_SPECS } from './convert.js';
import type { MediaFormat } from './types.js';
import { int16FromLittleEndian } from './wav.js';

/**
 * Inbound audio for `record`: Plivo's `media` payloads decoded to 16-bit samples, their energy
 * (for silence detection), and the recording written as a PCM16 WAV at the call's rate.
 */

/**
 * One inbound `media` payload (already base64-decoded) as 16-bit samples.
 *
 * @example
 *   decodeMedia(Buffer.from(frame.media.payload, 'base64'), 'audio/x-mulaw;rate=8000')
 */
export function decodeMedia(payload: Uint8Array, format: MediaFormat): Int16Array {
  if (FORMAT_SPECS[format].contentType === 'audio/x-mulaw') return alawmulaw.mulaw.decode(payload);
  // L16 is little-endian (plivo-protocol.md); an odd trailing byte cannot be a sample and is dropped.
  return int16FromLittleEndian(payload);
}

/**
 * Root-mean-square level of the samples, from 0 (silence) to 32768 (full scale). A recorder
 * compares it with a threshold to tell speech from silence.
 */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}

/** A recording as a mono PCM16 WAV file's bytes. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, sampleRate, '16', samples);
  const bytes = wav.toBuffer();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The sample rate of a call format (8000 or 16000). */
export function sampleRateOf(format: MediaFormat): 8000 | 16000 {
  return FORMAT_SPECS[format].sampleRate;
}
