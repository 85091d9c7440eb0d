/**
 * The control frames a call session sends to Plivo (plivo-protocol.md, "Frames to Plivo").
 * `playAudio` frames are not built here: the prompt store pre-serialises them once per prompt
 * (`EncodedAudio.playAudioFrame`), so a call sends the shared string as is.
 */
import { audioDurationMs } from '../audio/convert.js';
import type { MediaFormat } from '../audio/types.js';
import { onlyDtmfKeys } from '../flow/dtmf-keys.js';

/**
 * The longest checkpoint name the engine sends: its names are `p<playbackId>.<n>`, two per-call
 * counters (playback-queue.ts), at most 34 characters. A `playedStream` naming something longer
 * cannot answer one of ours, so the parser refuses it as a bad frame before anything holds it.
 */
export const CHECKPOINT_NAME_MAX_LENGTH = 40;

/** A playback's checkpoint: `p<playbackId>.<n>`, `n` counting the call's checkpoints. */
export function checkpointName(playbackId: number, n: number): string {
  return `p${playbackId}.${n}`;
}

/** The playback a checkpoint of ours belongs to (`checkpointName`); undefined for any other name. */
export function playbackOfCheckpoint(name: string): number | undefined {
  const match = /^p(\d+)\.\d+$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function checkpointFrame(streamId: string, name: string): string {
  return JSON.stringify({ event: 'checkpoint', streamId, name });
}

export function clearAudioFrame(streamId: string): string {
  return JSON.stringify({ event: 'clearAudio', streamId });
}

/** Plivo plays only `0-9*#A-D`; anything else is dropped here even if the machine let it through. */
export function sendDtmfFrame(digits: string): string | undefined {
  const safe = onlyDtmfKeys(digits);
  return safe === '' ? undefined : JSON.stringify({ event: 'sendDTMF', dtmf: safe });
}

/** A frame the engine sent to Plivo, read back by whatever plays Plivo's part (`ivr test`, `ivr call`). */
export type OutboundFrame =
  | { event: 'playAudio'; payload: string; durationMs: number }
  | { event: 'checkpoint'; name: string }
  | { event: 'clearAudio' }
  | { event: 'sendDTMF'; dtmf: string }
  | { event: 'other'; text: string };

/** Parses one outbound text frame; a `playAudio`'s duration comes from its byte count in its own format. */
export function parseOutboundFrame(text: string): OutboundFrame {
  let data: { event?: unknown; name?: unknown; dtmf?: unknown; media?: { payload?: unknown; contentType?: unknown; sampleRate?: unknown } };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    return { event: 'other', text };
  }
  switch (data.event) {
    case 'playAudio': {
      const payload = typeof data.media?.payload === 'string' ? data.media.payload : '';
      const format: MediaFormat = data.media?.contentType === 'audio/x-l16'
        ? (data.media.sampleRate === 16000 ? 'audio/x-l16;rate=16000' : 'audio/x-l16;rate=8000')
        : 'audio/x-mulaw;rate=8000';
      return { event: 'playAudio', payload, durationMs: audioDurationMs(Buffer.byteLength(payload, 'base64'), format) };
    }
    case 'checkpoint':
      return { event: 'checkpoint', name: String(data.name) };
    case 'clearAudio':
      return { event: 'clearAudio' };
    case 'sendDTMF':
      return { event: 'sendDTMF', dtmf: String(data.dtmf) };
    default:
      return { event: 'other', text };
  }
}
