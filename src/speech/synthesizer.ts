import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodedAudio } from '../audio/convert.js';
import type { EncodedAudio, MediaFormat, SpeechVoice, TextSpeaker } from '../audio/types.js';
import { splitCommandLine } from './command-line.js';
import { programEnv } from './command-engine.js';
import { SpeechThread } from './speech-thread.js';
import type { SpeechEngineSpec } from './synth-request.js';

/**
 * Speech synthesis for prompts (flow-language.md, "Prompts from text"):
 * - at load, `wavFile()` gives a text prompt's WAV from the disk cache (`--tts-cache`), speaking
 *   it first when it is not there; the prompt store then converts that file like any other;
 * - at call time, `say()` gives a `{ say }` item's audio in the call's format, from a bounded
 *   in-memory cache by final text, or synthesized in the speech worker (other calls never wait).
 * Synthesis and conversion run in the worker thread; this thread only wraps the finished bytes
 * into the same pre-serialised `playAudio` frame a file prompt has.
 */

export interface SynthesizerOptions {
  /** `--tts-command`: a program and its arguments; default the bundled eSpeak NG. */
  command?: string | undefined;
  /** `--tts-env`: variables the program gets besides its base environment (command-engine.ts `programEnv`). */
  env?: Readonly<Record<string, string>> | undefined;
  /** `--tts-cache`: folder of synthesized prompts (default `.ivr-cache/tts`, from the working directory). */
  cacheDir?: string | undefined;
  /** Longest a load-time synthesis may take (default 30 s). */
  loadTimeoutMs?: number;
  /** Largest WAV a `--tts-command` may write (default 16 MiB). */
  maxBytes?: number;
  /** Most `say` results kept in memory, by bytes of audio (default 32 MiB) and by count (default 2000). */
  sayCacheBytes?: number;
  sayCacheEntries?: number;
  /**
   * Most different `say` texts waiting for the speech worker at once (default 64). One more
   * fails at once, as a synthesis failure does (→ the node's `onError`): at ~50 ms a sentence
   * in one worker, a request further back would miss the default 3 s `sayTimeout` anyway, and
   * the worker would still spend its time on it.
   */
  maxQueuedSays?: number;
}

export const DEFAULT_TTS_CACHE = '.ivr-cache/tts';
/** Longest text a `say` may speak (a longer one is an error: no caller sits through it). */
export const MAX_SAY_CHARS = 1000;
/** Default of `maxQueuedSays`. */
export const DEFAULT_MAX_QUEUED_SAYS = 64;

export type { SpeechVoice };

export class Synthesizer implements TextSpeaker {
  /** Part of every cache key: another engine (or command) never reads this one's audio. */
  readonly engineId: string;
  readonly cacheDir: string;
  private readonly engine: SpeechEngineSpec;
  private readonly thread = new SpeechThread();
  private readonly o: Required<Omit<SynthesizerOptions, 'command' | 'cacheDir' | 'env'>>;
  private readonly says = new Map<string, EncodedAudio>();
  private sayBytes = 0;
  private readonly inFlight = new Map<string, Promise<EncodedAudio>>();

  /** @throws Error when `command` cannot be split into a program and arguments. */
  constructor(options: SynthesizerOptions = {}) {
    if (options.command !== undefined) {
      const argv = splitCommandLine(options.command);
      this.engine = { kind: 'command', argv, env: programEnv(process.env, options.env ?? {}) };
      this.engineId = `command:${createHash('sha256').update(argv.join('\0')).digest('hex').slice(0, 16)}`;
    } else {
      this.engine = { kind: 'espeak' };
      this.engineId = 'espeak-ng';
    }
    this.cacheDir = resolve(options.cacheDir ?? DEFAULT_TTS_CACHE);
    this.o = {
      loadTimeoutMs: options.loadTimeoutMs ?? 30_000,
      maxBytes: options.maxBytes ?? 16 * 1024 * 1024,
      sayCacheBytes: options.sayCacheBytes ?? 32 * 1024 * 1024,
      sayCacheEntries: options.sayCacheEntries ?? 2000,
      maxQueuedSays: options.maxQueuedSays ?? DEFAULT_MAX_QUEUED_SAYS,
    };
  }

  /** Where the WAV of `text` is (or will be) cached: keyed by engine, voice, language and text. */
  cachePath(text: string, v: SpeechVoice): string {
    const key = createHash('sha256').update([this.engineId, v.voice ?? '', v.language, text].join('\0')).digest('hex');
    return join(this.cacheDir, `${key}.wav`);
  }

  /**
   * The cached WAV of `text`, synthesized (in the worker) when not cached yet. Written to a
   * temporary name and renamed, so a crash or a second process never leaves half a file.
   */
  async wavFile(text: string, v: SpeechVoice): Promise<string> {
    const path = this.cachePath(text, v);
    if (isCached(path)) return path;
    const answer = await this.thread.synthesize({
      engine: this.engine, text, language: v.language, voice: v.voice, formats: [],
      timeoutMs: this.o.loadTimeoutMs, maxBytes: this.o.maxBytes,
    });
    mkdirSync(this.cacheDir, { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temporary, answer.wav);
    renameSync(temporary, path);
    return path;
  }

  /**
   * A `{ say }` item's audio in `format`: the cached object at once when this text was said
   * before, else a promise (one synthesis however many calls ask for the same text meanwhile).
   * The promise rejects on a synthesis failure; the caller bounds the wait (`sayTimeout`).
   */
  say(text: string, v: SpeechVoice, format: MediaFormat, timeoutMs: number): EncodedAudio | Promise<EncodedAudio> {
    if (text.trim() === '') return Promise.reject(new Error('nothing to say: the text is empty'));
    if (text.length > MAX_SAY_CHARS) return Promise.reject(new Error(`text of ${text.length} characters is longer than ${MAX_SAY_CHARS}`));
    const key = [v.voice ?? '', v.language, format, text].join('\0');
    const hit = this.says.get(key);
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.says.delete(key);
      this.says.set(key, hit);
      return hit;
    }
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      // A text already on its way shares that synthesis; a new one needs room in the queue.
      if (this.inFlight.size >= this.o.maxQueuedSays) {
        return Promise.reject(new Error(`speech queue full: ${this.inFlight.size} texts are waiting to be synthesized (limit ${this.o.maxQueuedSays})`));
      }
      pending = this.thread
        .synthesize({ engine: this.engine, text, language: v.language, voice: v.voice, formats: [format], timeoutMs, maxBytes: this.o.maxBytes })
        .then((answer) => {
          const data = answer.audio[0]?.data;
          if (data === undefined) throw new Error('the speech worker returned no audio');
          const audio = encodedAudio(Buffer.from(data.buffer, data.byteOffset, data.byteLength), format);
          this.keep(key, audio);
          return audio;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Waits for every `say` in progress (ivr test lets them land within the step that asked). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  close(): Promise<void> {
    return this.thread.close();
  }

  private keep(key: string, audio: EncodedAudio): void {
    const size = audio.playAudioFrame.length + audio.data.length;
    if (size > this.o.sayCacheBytes) return;
    this.says.set(key, audio);
    this.sayBytes += size;
    for (const [oldKey, old] of this.says) {
      if (this.sayBytes <= this.o.sayCacheBytes && this.says.size <= this.o.sayCacheEntries) break;
      this.says.delete(oldKey);
      this.sayBytes -= old.playAudioFrame.length + old.data.length;
    }
  }
}

function isCached(path: string): boolean {
  try {
    // A WAV header is 44 bytes: anything shorter is a broken file, spoken again.
    return statSync(path).size > 44;
  } catch {
    return false;
  }
}

let shared: Synthesizer | undefined;

/** The process's synthesizer: the bundled engine with the default cache unless `configureSpeech` said otherwise. */
export function defaultSynthesizer(): Synthesizer {
  shared ??= new Synthesizer();
  return shared;
}

/**
 * Sets the process's synthesizer (`ivr serve --tts-command/--tts-cache`): every later load and
 * call uses it.
 * @throws Error when the command cannot be split into a program and arguments.
 */
export function configureSpeech(options: SynthesizerOptions): Synthesizer {
  shared = new Synthesizer(options);
  return shared;
}
