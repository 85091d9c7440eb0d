/** The three codecs a Plivo stream may use; `mediaFormat` of the start frame picks one per call. */
export type MediaFormat = 'audio/x-mulaw;rate=8000' | 'audio/x-l16;rate=8000' | 'audio/x-l16;rate=16000';

export const MEDIA_FORMATS: readonly MediaFormat[] = [
  'audio/x-mulaw;rate=8000',
  'audio/x-l16;rate=8000',
  'audio/x-l16;rate=16000',
];

/** Prompt audio converted once, at load, to one call format; shared by every call. */
export interface EncodedAudio {
  contentType: 'audio/x-mulaw' | 'audio/x-l16';
  sampleRate: 8000 | 16000;
  /** Raw audio (no WAV header). */
  data: Buffer;
  /** `data` as base64, computed once. */
  base64: string;
  /** Playing time: bytes / 8000 s for μ-law, bytes / (2 × rate) s for L16 (not rounded). */
  durationMs: number;
  /**
   * The whole `playAudio` frame, serialised once at load:
   * `{"event":"playAudio","media":{"contentType":"audio/x-mulaw","sampleRate":8000,"payload":"<base64>"}}`.
   * The call path sends this shared string as is (`ws.send(audio.playAudioFrame)`).
   */
  playAudioFrame: string;
}

/** Prompt audio for every flow, by flow id and prompt name. Built once per flow version. */
export interface PromptStore {
  /**
   * Audio for `name` as a flow resolves it (prompts: entry, prompts/<language>/, prompts/, then
   * the system set for digits and numbers). Undefined when the name resolves to nothing.
   */
  get(flowId: string, name: string, format: MediaFormat, language?: string): EncodedAudio | undefined;
  /** Silence of this length in this format (shared buffers). */
  silence(ms: number, format: MediaFormat): EncodedAudio;
  /** The words of a prompt (`text:` in the flow), for transcripts and `ivr call`. */
  text(flowId: string, name: string): string | undefined;
}
