import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import wavefile from 'wavefile';
import type { LoadedFlow } from '../../src/flow/loaded-flow.js';
import type { FlowDoc } from '../../src/flow/types.js';

/** Test WAVs are made here with wavefile rather than committed, so each test shows its input. */

export interface WavSpec {
  channels?: number;
  rate: number;
  /** wavefile bit depth code: '16', '24', '32f', '8m' (μ-law), '8a' (A-law), '8'. */
  bitDepth: string;
  samples: ArrayLike<number> | Array<ArrayLike<number>>;
}

export function wavBytes(spec: WavSpec): Buffer {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(spec.channels ?? 1, spec.rate, spec.bitDepth, spec.samples);
  return Buffer.from(wav.toBuffer());
}

export function writeWav(path: string, spec: WavSpec): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, wavBytes(spec));
  return path;
}

/** A sine tone as 16-bit samples. */
export function tone(rate: number, ms: number, hz = 440, amplitude = 12000): Int16Array {
  const samples = new Int16Array(Math.round((rate * ms) / 1000));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return samples;
}

/** Every μ-law byte value, in order, `repeat` times. */
export function allMulawBytes(repeat = 1): Uint8Array {
  const bytes = new Uint8Array(256 * repeat);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i % 256;
  return bytes;
}

export function tempDir(prefix = 'ivr-audio-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A LoadedFlow as the front end would hand it over, for a flow living in `dir`. */
export function loadedFlow(dir: string, id: string, doc: Partial<FlowDoc> & Pick<FlowDoc, 'nodes'>): LoadedFlow {
  return { id, file: join(dir, `${id}.yaml`), dir, doc: { ivr: 1, ...doc }, version: 'test', diagnostics: [] };
}

/** Counts sign changes: a tone of f Hz over s seconds crosses zero about 2·f·s times. */
export function zeroCrossings(samples: Int16Array): number {
  let count = 0;
  for (let i = 1; i < samples.length; i++) {
    if (((samples[i - 1] ?? 0) < 0) !== ((samples[i] ?? 0) < 0)) count++;
  }
  return count;
}
