import { parentPort } from 'node:worker_threads';
import { convertToFormats } from '../audio/convert.js';
import { encodeWav } from '../audio/pcm.js';
import { decodeWav, type DecodedWav } from '../audio/wav.js';
import { commandSynthesize } from './command-engine.js';
import { espeakSynthesize } from './espeak-engine.js';
import type { SynthReply, SynthRequest } from './synth-request.js';

/**
 * The speech worker thread: synthesis and conversion to the call formats happen here, so the
 * serving thread only wraps the finished bytes into frames (speech-thread.ts starts it).
 */

async function synthesize(request: SynthRequest): Promise<SynthReply> {
  let wav: Uint8Array;
  let decoded: DecodedWav;
  if (request.engine.kind === 'espeak') {
    const { samples, sampleRate } = await espeakSynthesize(request.text, request.language, request.voice);
    if (samples.length === 0) throw new Error('the synthesizer produced no audio');
    decoded = { encoding: 'pcm16', sampleRate, samples };
    wav = encodeWav(samples, sampleRate);
  } else {
    wav = await commandSynthesize(request.engine, request.text, request.language, request.voice, request);
    const read = decodeWav(wav);
    if (!read.ok) throw new Error(`TTS command did not write a usable WAV: ${read.reason}`);
    if (read.wav.samples.length === 0) throw new Error('TTS command wrote a WAV with no audio');
    decoded = read.wav;
  }
  const audio = [...convertToFormats(decoded, request.formats)].map(([format, encoded]) => ({ format, data: new Uint8Array(encoded.data) }));
  // A copy of its own: a small Buffer may sit in Node's shared pool, which cannot be transferred.
  return { id: request.id, ok: true, wav: new Uint8Array(wav), audio };
}

/**
 * Requests are taken one per turn of this thread's event loop, so each answer is posted (and
 * reaches its call) as soon as it is ready, rather than after every request that arrived with it.
 */
const queue: SynthRequest[] = [];
let draining = false;

parentPort?.on('message', (request: SynthRequest) => {
  queue.push(request);
  if (!draining) {
    draining = true;
    setImmediate(next);
  }
});

function next(): void {
  const request = queue.shift();
  if (request === undefined) {
    draining = false;
    return;
  }
  void answer(request).then(() => setImmediate(next));
}

function answer(request: SynthRequest): Promise<void> {
  return synthesize(request).then(
    (reply) => {
      const transfer = reply.ok ? [reply.wav.buffer, ...reply.audio.map((a) => a.data.buffer)] : [];
      parentPort?.postMessage(reply, transfer as ArrayBuffer[]);
    },
    (err: unknown) => parentPort?.postMessage({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies SynthReply),
  );
}
