import type { MediaFormat } from '../audio/types.js';

/** A frame the engine sends to Plivo, as `ivr call` interprets it. */
export type Outbound =
  | { event: 'playAudio'; payload: string; durationMs: number }
  | { event: 'checkpoint'; name: string }
  | { event: 'clearAudio' }
  | { event: 'sendDTMF'; dtmf: string }
  | { event: 'other'; text: string };

/** Parses one outbound text frame; audio duration from its byte count (plivo-protocol.md, "Facts"). */
export function parseOutbound(text: string): Outbound {
  let data: { event?: unknown; name?: unknown; dtmf?: unknown; media?: { payload?: unknown; contentType?: unknown; sampleRate?: unknown } };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    return { event: 'other', text };
  }
  switch (data.event) {
    case 'playAudio': {
      const payload = typeof data.media?.payload === 'string' ? data.media.payload : '';
      const bytes = Buffer.byteLength(payload, 'base64');
      const format: MediaFormat = data.media?.contentType === 'audio/x-l16' ? (data.media.sampleRate === 16000 ? 'audio/x-l16;rate=16000' : 'audio/x-l16;rate=8000') : 'audio/x-mulaw;rate=8000';
      return { event: 'playAudio', payload, durationMs: audioMs(bytes, format) };
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

/** μ-law 8 kHz: bytes / 8 ms; L16: bytes / (2 × rate) s. */
export function audioMs(bytes: number, format: MediaFormat): number {
  if (format === 'audio/x-mulaw;rate=8000') return bytes / 8;
  return (bytes / (2 * (format === 'audio/x-l16;rate=16000' ? 16000 : 8000))) * 1000;
}
