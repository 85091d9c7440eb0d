import type { MediaFormat } from '../audio/types.js';

/**
 * What is asked of the speech worker and what it answers. Plain data: it crosses the worker
 * boundary by structured clone (the audio buffers are transferred, not copied).
 */

/** Which synthesizer speaks: the bundled eSpeak NG, or a program given with `--tts-command`. */
export type SpeechEngineSpec =
  | { kind: 'espeak' }
  /** `env`: the program's whole environment but IVR_TTS_LANGUAGE/IVR_TTS_VOICE (command-engine.ts `programEnv`). */
  | { kind: 'command'; argv: readonly string[]; env: Readonly<Record<string, string>> };

export interface SynthRequest {
  id: number;
  engine: SpeechEngineSpec;
  text: string;
  language: string;
  /** Engine-specific voice name (`settings.voice`); default: the language's own voice. */
  voice?: string;
  /** Call formats to convert the speech to, off the serving thread; none: only the WAV. */
  formats: readonly MediaFormat[];
  /** Bounds on what a `--tts-command` may take and write. */
  timeoutMs: number;
  maxBytes: number;
}

export type SynthReply =
  | { id: number; ok: true; wav: Uint8Array; audio: Array<{ format: MediaFormat; data: Uint8Array }> }
  | { id: number; ok: false; message: string };
