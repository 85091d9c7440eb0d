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

/** Which voice speaks a text: the language, and an engine-specific voice name (`settings.voice`). */
export interface SpeechVoice {
  language: string;
  voice?: string | undefined;
}

/**
 * What the prompt store needs from a speech synthesizer (src/speech/synthesizer.ts implements
 * it): the cached WAV of a text for load time, and a `say`'s audio at call time.
 */
export interface TextSpeaker {
  /** Where the WAV of `text` is cached (also its identity: one synthesis per path). */
  cachePath(text: string, v: SpeechVoice): string;
  /** The cached WAV of `text`, synthesized first when not cached. */
  wavFile(text: string, v: SpeechVoice): Promise<string>;
  say(text: string, v: SpeechVoice, format: MediaFormat, timeoutMs: number): EncodedAudio | Promise<EncodedAudio>;
  /** Resolves once every `say` in progress has finished. */
  settled(): Promise<void>;
}

/** Prompt audio for every flow, by flow id and prompt name. Built once per flow version. */
export interface PromptStore {
  /**
   * Audio for `name` as a flow resolves it (prompts: entry, prompts/<language>/, prompts/, then
   * the system set for digits and numbers). Undefined when the name resolves to nothing.
   */
  get(flowId: string, name: string, format: MediaFormat, language?: string): EncodedAudio | undefined;
  /**
   * The languages the store holds a flow's audio in: its own, its prompt folders' and the
   * system set's (a call may ask for any of them).
   */
  languages(flowId: string): readonly string[];
  /** Silence of this length in this format (shared buffers). */
  silence(ms: number, format: MediaFormat): EncodedAudio;
  /** The words of a prompt (`text:` in the flow) in a language, for transcripts and `ivr call`. */
  text(flowId: string, name: string, language?: string): string | undefined;
  /**
   * A `{ say }` item's audio: at once when the text was said before (bounded cache by final
   * text), else synthesized off the serving thread. `language` is the call's (a flow that does
   * not list it speaks its default); a command engine is stopped after `timeoutMs`.
   */
  say(flowId: string, text: string, format: MediaFormat, language: string | undefined, timeoutMs: number): EncodedAudio | Promise<EncodedAudio>;
  /** Resolves once every `say` in progress has finished (for simulated calls). */
  settled(): Promise<void>;
}
