import { readRegularFile } from '../parse/read-flow-file.js';
import alawmulaw from 'alawmulaw';
import wavefile from 'wavefile';

/**
 * Reading prompt WAV files. The RIFF parsing and the G.711 tables come from `wavefile` and
 * `alawmulaw`; this module only decides what a prompt may be (flow-language.md: "PCM 16-bit or
 * μ-law/A-law, mono, at any sample rate") and says in plain words why a file is not one.
 */

export type WavEncoding = 'pcm16' | 'mulaw' | 'alaw';

export interface WavInfo {
  ok: true;
  encoding: WavEncoding;
  sampleRate: number;
  channels: number;
  durationMs: number;
}

export type WavProbe = WavInfo | { ok: false; reason: string };

/** A decoded prompt: mono 16-bit samples, plus the raw G.711 bytes when that is what the file held. */
export interface DecodedWav {
  encoding: WavEncoding;
  sampleRate: number;
  samples: Int16Array;
  /** The file's μ-law bytes, untouched, so a μ-law 8 kHz call gets them byte for byte. */
  mulaw?: Buffer;
}

interface WavFmt {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  /** The EXTENSIBLE subformat GUID as four 32-bit values (empty otherwise). */
  subformat: number[];
}

// WAVE_FORMAT_* tags (RFC 2361) of formats people do try to use as prompts.
const FORMAT_TAG_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  17: 'IMA ADPCM',
  49: 'GSM 6.10',
  85: 'MP3',
};

/**
 * What kind of audio a WAV file holds, or why it cannot be a prompt. Synchronous: `ivr validate`
 * calls it once per prompt file.
 *
 * @example
 *   probeWav('flows/prompts/welcome.wav')
 *   // { ok: true, encoding: 'pcm16', sampleRate: 8000, channels: 1, durationMs: 1840 }
 *   probeWav('flows/prompts/music.wav')  // { ok: false, reason: 'stereo: prompts must be mono' }
 */
export function probeWav(path: string): WavProbe {
  let bytes: Buffer;
  try {
    bytes = readPromptFile(path);
  } catch (err) {
    return { ok: false, reason: readFailure(err) };
  }
  const parsed = parseHeader(bytes, false);
  if (!parsed.ok) return parsed;
  const { wav, encoding } = parsed;
  const fmt = wav.fmt as WavFmt;
  const dataBytes = (wav.data as { chunkSize: number }).chunkSize;
  const durationMs = (dataBytes / fmt.blockAlign / fmt.sampleRate) * 1000;
  return { ok: true, encoding, sampleRate: fmt.sampleRate, channels: fmt.numChannels, durationMs };
}

/**
 * Decodes a prompt WAV to mono 16-bit samples at its own rate (conversion to a call's format is
 * `convert.ts`'s job). Returns the same plain-word reason as `probeWav` when the file is not a
 * prompt.
 */
export function decodeWav(bytes: Uint8Array): { ok: true; wav: DecodedWav } | { ok: false; reason: string } {
  const parsed = parseHeader(bytes, true);
  if (!parsed.ok) return parsed;
  const { wav, encoding } = parsed;
  const sampleRate = (wav.fmt as WavFmt).sampleRate;
  const raw = (wav.data as { samples: Uint8Array }).samples;
  switch (encoding) {
    case 'mulaw':
      return { ok: true, wav: { encoding, sampleRate, samples: alawmulaw.mulaw.decode(raw), mulaw: Buffer.from(raw) } };
    case 'alaw':
      return { ok: true, wav: { encoding, sampleRate, samples: alawmulaw.alaw.decode(raw) } };
    case 'pcm16':
      return { ok: true, wav: { encoding, sampleRate, samples: int16FromLittleEndian(raw) } };
  }
}

type ParsedHeader = { ok: true; wav: wavefile.WaveFile; encoding: WavEncoding } | { ok: false; reason: string };

function parseHeader(bytes: Uint8Array, withSamples: boolean): ParsedHeader {
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes, withSamples);
  } catch {
    return { ok: false, reason: 'not a WAV file' };
  }
  const fmt = wav.fmt as WavFmt;
  const encoding = encodingOf(fmt);
  if (typeof encoding !== 'string') return { ok: false, reason: encoding.reason };
  if (fmt.numChannels !== 1) {
    return { ok: false, reason: fmt.numChannels === 2 ? 'stereo: prompts must be mono' : `${fmt.numChannels} channels: prompts must be mono` };
  }
  if (!(fmt.sampleRate > 0) || !(fmt.blockAlign > 0)) return { ok: false, reason: 'broken WAV header (sample rate 0)' };
  if ((wav.data as { chunkSize: number }).chunkSize === 0) return { ok: false, reason: 'empty: the file holds no audio' };
  return { ok: true, wav, encoding };
}

function encodingOf(fmt: WavFmt): WavEncoding | { reason: string } {
  // WAVE_FORMAT_EXTENSIBLE (0xFFFE) carries the real tag in the first two bytes of its subformat
  // GUID; wavefile reads the GUID but does not look into it.
  const tag = fmt.audioFormat === 0xfffe && fmt.subformat[0] !== undefined ? fmt.subformat[0] & 0xffff : fmt.audioFormat;
  if (tag === 7 && fmt.bitsPerSample === 8) return 'mulaw';
  if (tag === 6 && fmt.bitsPerSample === 8) return 'alaw';
  if (tag === 1 && fmt.bitsPerSample === 16) return 'pcm16';
  const hint = '(use 16-bit PCM, μ-law or A-law)';
  if (tag === 1) return { reason: `unsupported encoding: ${fmt.bitsPerSample}-bit PCM ${hint}` };
  if (tag === 3) return { reason: `unsupported encoding: ${fmt.bitsPerSample}-bit float ${hint}` };
  return { reason: `unsupported encoding: ${FORMAT_TAG_NAMES[tag] ?? `format ${tag}`} ${hint}` };
}

/**
 * The most bytes a prompt file may hold: 64 MiB is over half an hour of 16 kHz 16-bit audio. A
 * prompt is as untrusted as its flow: a link to `/dev/zero` or a huge file is refused, not read.
 */
export const MAX_PROMPT_BYTES = 64 * 1024 * 1024;

/** A prompt file's bytes: a regular file of at most MAX_PROMPT_BYTES (read-flow-file.ts), else a throw with a `code`. */
export function readPromptFile(path: string): Buffer {
  return readRegularFile(path, MAX_PROMPT_BYTES);
}

export function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'a folder, not a file';
  if (code === 'ENOTREG') return 'not a regular file';
  if (code === 'EFBIG') return `larger than ${MAX_PROMPT_BYTES / 1024 / 1024} MiB`;
  if (code === 'EACCES' || code === 'EPERM') return 'not readable (permission denied)';
  // As flow files are worded (parse/read-flow-file.ts): a link where the resolved path had a file.
  if (code === 'ESWAPPED') return "replaced by a link while it was being read; only files inside the flow's folder are played";
  if (code === 'ELOOP') return 'not readable (a link loop)';
  return `not readable (${code ?? String(err)})`;
}

/** WAV data is little-endian; an odd trailing byte (truncated file) is dropped. */
export function int16FromLittleEndian(raw: Uint8Array): Int16Array {
  const count = raw.length >> 1;
  const out = new Int16Array(count);
  const view = new DataView(raw.buffer, raw.byteOffset, count * 2);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}
