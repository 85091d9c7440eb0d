import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import wavefile from 'wavefile';
import type { LoadedFlow } from '../../src/flow/loaded-flow.js';
import type { FlowDoc } from '../../src/flow/types.js';
import { tempDir as removedAtExit } from '../support/temp-dir.js';

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

/** A temporary folder for audio files, removed when the test process exits. */
export function tempDir(prefix = 'ivr-audio-'): string {
  return removedAtExit(prefix);
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

/**
 * A WAVE_FORMAT_EXTENSIBLE file, written byte by byte (wavefile only writes this header for
 * more than two channels or unusual depths): the real format tag sits in the subformat GUID.
 */
export function extensibleWavBytes(tag: number, bitsPerSample: number, rate: number, data: Uint8Array): Buffer {
  const fmt = Buffer.alloc(40);
  fmt.writeUInt16LE(0xfffe, 0);
  fmt.writeUInt16LE(1, 2); // channels
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE((rate * bitsPerSample) / 8, 8);
  fmt.writeUInt16LE(bitsPerSample / 8, 12);
  fmt.writeUInt16LE(bitsPerSample, 14);
  fmt.writeUInt16LE(22, 16); // cbSize
  fmt.writeUInt16LE(bitsPerSample, 18); // valid bits
  fmt.writeUInt32LE(4, 20); // channel mask: front centre
  // KSDATAFORMAT_SUBTYPE_*: {tag-0000-0010-8000-00AA00389B71}
  fmt.writeUInt32LE(tag, 24);
  Buffer.from([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(fmt, 28);
  const chunk = (id: string, body: Uint8Array): Buffer => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32LE(body.length, 4);
    return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), chunk('fmt ', fmt), chunk('data', data)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/**
 * A realistic prompt set: four flows of ten distinct 2.5-second prompts each (100 s of audio) at
 * the rates authors tend to ship (8 and 16 kHz), each also saying digits (the system set).
 * Shared by the prompt-load test and its benchmark (test/bench/prompt-load).
 */
export function realisticPromptFlows(): LoadedFlow[] {
  const flows = [];
  const rates = [8000, 16000, 8000, 16000];
  for (const [f, rate] of rates.entries()) {
    const dir = tempDir();
    const nodes: Record<string, { play: (string | { digits: string })[] }> = {};
    for (let p = 0; p < 10; p++) {
      writeWav(join(dir, 'prompts', `p${p}.wav`), { rate, bitDepth: '16', samples: tone(rate, 2500, 300 + 50 * p + 7 * f) });
      nodes[`n${p}`] = { play: [`p${p}`, { digits: 'x' }] };
    }
    flows.push(loadedFlow(dir, `flow${f}`, { nodes }));
  }
  return flows;
}
