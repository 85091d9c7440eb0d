import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { BEEP_PROMPT, DEFAULTS } from '../flow/defaults.js';
import { defaultLanguage, flowLanguages, promptText, spokenLanguage } from '../flow/languages.js';
import type { LoadedFlow } from '../flow/loaded-flow.js';
import { encodedAudio, FORMAT_SPECS } from './convert.js';
import { convertFiles, type Converted } from './convert-files.js';
import { promptUsesOf } from './prompt-names.js';
import { resolvePrompt, type PromptResolution } from './resolve-prompt.js';
import { SYSTEM_PROMPTS_DIR, systemPromptText, systemPromptWords } from './system-set.js';
import { MEDIA_FORMATS, type EncodedAudio, type MediaFormat, type PromptStore, type TextSpeaker } from './types.js';

/**
 * Loads every prompt the flows can play, converted once to each call format, and answers
 * `get(flow, name, format)` with shared, ready-to-send audio (STYLE.md: compile once, share
 * everything). Files are converted once per content, so the system set — and any file two flows
 * share — is decoded once and the very same `EncodedAudio` object serves every flow.
 */

export interface PromptStoreOptions {
  /** Call formats to prepare; default all three (a call's format is known only at its `start`). */
  formats?: readonly MediaFormat[];
  /**
   * Speaks prompts that have text and no file (at load) and `{ say }` items (at call time): the
   * process's synthesizer (src/speech/), given by the pipeline. Without one, a text-only prompt
   * is reported as having no audio and every `say` fails.
   */
  speech?: TextSpeaker;
}

/** The registry codes (diagnostics/codes.ts) the prompt store reports with. */
export const PROMPT_STORE_CODES = {
  /** A prompt name used by the flow resolves to no file. */
  notFound: 'unknown-prompt',
  /** The file a prompt resolves to does not exist (a `prompts:` entry's file). */
  missing: 'prompt-file-missing',
  /** The file exists but cannot be played (not a WAV, stereo, unsupported encoding, unreadable). */
  unusable: 'prompt-file-unsupported',
  /** A text-only prompt could not be synthesized (so it has no audio either; the message says why). */
  synthesis: 'unknown-prompt',
} as const;

/** The stand-in when no synthesizer was given: nothing can be spoken. */
export const NO_SPEECH: TextSpeaker = {
  cachePath: (text, v) => `${v.language}:${v.voice ?? ''}:${text}`,
  wavFile: () => Promise.reject(new Error('no speech synthesizer is configured')),
  say: () => Promise.reject(new Error('no speech synthesizer is configured')),
  settled: () => Promise.resolve(),
};

// Silence lengths come from flows, so the set is small; the cap only guards against a runtime
// asking for ever-new lengths.
const SILENCE_CACHE_LIMIT = 1024;

export interface FlowPrompts {
  language: string;
  languages: string[];
  voice: string | undefined;
  /** language -> prompt name -> audio per format. */
  byLanguage: Map<string, Map<string, Converted>>;
  doc: LoadedFlow['doc'];
}

/** One prompt a flow needs in one language, resolved to a file (or not). */
interface Want {
  flow: LoadedFlow;
  language: string;
  name: string;
  /** Where to report a problem; undefined when nobody would miss the audio (see below). */
  pointer: string | undefined;
  found: PromptResolution;
  /** Words to synthesize when no file was found. */
  text: string | undefined;
}

/**
 * @example
 *   const { store, diagnostics } = await loadPromptStore(flowSet.flows.values());
 *   const audio = store.get('support', 'welcome', 'audio/x-mulaw;rate=8000');
 *   if (audio) ws.send(audio.playAudioFrame);
 */
export async function loadPromptStore(
  flows: Iterable<LoadedFlow>,
  options: PromptStoreOptions = {},
): Promise<{ store: PromptStore; diagnostics: Diagnostic[] }> {
  const formats = [...new Set(options.formats ?? MEDIA_FORMATS)];
  const speech = options.speech ?? NO_SPEECH;
  const wants = [...flows].flatMap(wantsOf);
  const diagnostics: Diagnostic[] = [];
  await synthesizeTexts(wants, speech, diagnostics);
  const files = await convertFiles(
    wants.flatMap((want) => (want.found.ok ? [want.found.path] : [])),
    formats,
  );

  const byFlow = new Map<string, FlowPrompts>();
  for (const { flow, language, name, pointer, found } of wants) {
    let prompts = byFlow.get(flow.id);
    if (prompts === undefined) {
      prompts = newFlowPrompts(flow);
      byFlow.set(flow.id, prompts);
    }
    let names = prompts.byLanguage.get(language);
    if (names === undefined) {
      names = new Map();
      prompts.byLanguage.set(language, names);
    }
    const file = found.ok ? files.get(found.path) : undefined;
    if (file?.ok) {
      names.set(name, file.audio);
    } else if (pointer !== undefined) {
      if (!found.ok) {
        if (!('synthesis' in found)) diagnostics.push(diagnostic(flow, PROMPT_STORE_CODES.notFound, pointer, `prompt "${name}"${language === defaultLanguage(flow.doc) ? '' : ` (${language})`}: ${found.reason}`));
      } else if (file !== undefined) {
        const code = file.missing ? PROMPT_STORE_CODES.missing : PROMPT_STORE_CODES.unusable;
        diagnostics.push(diagnostic(flow, code, pointer, `prompt "${name}" (${found.path}): ${file.reason}`));
      }
    }
  }
  return { store: new LoadedPromptStore(byFlow, speech), diagnostics };
}

/**
 * Speaks every wanted prompt that has words and no file, into the synthesizer's disk cache, and
 * points the want at the cached WAV: from there it is converted like any file. Each text is
 * spoken once per load however many flows want it; a failure is reported where it is used.
 */
async function synthesizeTexts(wants: Want[], speech: TextSpeaker, diagnostics: Diagnostic[]): Promise<void> {
  // Every request is queued at once (the worker takes them in turn), then the answers are read.
  const spoken = new Map<string, Promise<PromptResolution>>();
  const asked: Array<[Want, Promise<PromptResolution>]> = [];
  for (const want of wants) {
    if (want.found.ok || want.text === undefined) continue;
    const text = want.text;
    const voice = { language: want.language, voice: want.flow.doc.settings?.voice };
    const key = speech.cachePath(text, voice);
    let result = spoken.get(key);
    if (result === undefined) {
      result = speech.wavFile(text, voice).then(
        (path): PromptResolution => ({ ok: true, path, source: 'synthesized' }),
        (err: unknown): PromptResolution => ({ ok: false, reason: err instanceof Error ? err.message : String(err), synthesis: true }),
      );
      spoken.set(key, result);
    }
    asked.push([want, result]);
  }
  for (const [want, result] of asked) {
    const found = await result;
    want.found = found;
    if (!found.ok && want.pointer !== undefined) {
      diagnostics.push(diagnostic(want.flow, PROMPT_STORE_CODES.synthesis, want.pointer, `prompt "${want.name}" (${want.language}) could not be synthesized: ${found.reason}`));
    }
  }
}

function newFlowPrompts(flow: LoadedFlow): FlowPrompts {
  return {
    language: defaultLanguage(flow.doc), languages: flowLanguages(flow.doc), voice: flow.doc.settings?.voice,
    byLanguage: new Map(), doc: flow.doc,
  };
}

/**
 * Every prompt name the flow plays plus the whole system set, in each language it may be
 * played in, resolved to files (or to words to synthesize). Problems are reported for the
 * flow's declared languages only (other languages are extras a call may fall back from), and
 * for a system name only when the flow speaks digits/numbers or records with a beep. Extra
 * languages get files only: nothing is synthesized for a language the flow does not declare.
 */
function wantsOf(flow: LoadedFlow): Want[] {
  const declared = flowLanguages(flow.doc);
  const uses = promptUsesOf(flow.doc);
  const wants: Want[] = [];
  for (const language of languagesOf(flow, declared)) {
    const isDeclared = declared.includes(language);
    const names = new Map<string, string | undefined>(uses.names);
    for (const name of systemPromptWords(language).keys()) if (!names.has(name)) names.set(name, systemPointer(name, uses));
    for (const [name, pointer] of names) {
      const found = resolvePrompt(flow, name, language);
      // System words are synthesized only for a flow that says digits or numbers.
      const systemWords = uses.speaks !== undefined ? systemPromptText(name, language) : undefined;
      const text = isDeclared ? promptText(flow.doc, name, language) ?? systemWords : undefined;
      // A text prompt's entry is only checked for synthesis when nothing was found on disk.
      wants.push({ flow, language, name, pointer: isDeclared ? pointer : undefined, found, text });
    }
  }
  return wants;
}

/** Where a system name is needed: pointer of the first digits/number item, or the beeping record. */
function systemPointer(name: string, uses: ReturnType<typeof promptUsesOf>): string | undefined {
  return name === BEEP_PROMPT ? uses.beeps : uses.speaks;
}

/**
 * The flow's languages, plus any language folder it ships under prompts/ and every language of
 * the system set, so a call that asks for another language (e.g. from `extra_headers`) finds
 * audio prepared at load rather than converted on the call path.
 */
function languagesOf(flow: LoadedFlow, declared: readonly string[]): string[] {
  const languages = new Set(declared);
  for (const dir of [join(flow.dir, 'prompts'), SYSTEM_PROMPTS_DIR]) {
    for (const entry of safeReaddir(dir)) if (entry.isDirectory()) languages.add(entry.name);
  }
  return [...languages];
}

function safeReaddir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function diagnostic(flow: LoadedFlow, code: string, pointer: string, message: string): Diagnostic {
  // The store has no source map; the pointer lets the front end place the diagnostic on a line.
  return { code, severity: 'error', message, file: flow.file, line: 1, col: 1, pointer };
}

/** The store `loadPromptStore` makes (exported for prompt-store-data.ts). */
export class LoadedPromptStore implements PromptStore {
  readonly #flows: Map<string, FlowPrompts>;
  readonly #silences = new Map<string, EncodedAudio>();
  readonly #speech: TextSpeaker;

  constructor(flows: Map<string, FlowPrompts>, speech: TextSpeaker) {
    this.#flows = flows;
    this.#speech = speech;
  }

  /** What the store holds (for `promptStoreData`). */
  flows(): ReadonlyMap<string, FlowPrompts> {
    return this.#flows;
  }

  /** A prompt the asked-for language does not have falls back to the flow's own language. */
  get(flowId: string, name: string, format: MediaFormat, language?: string): EncodedAudio | undefined {
    const flow = this.#flows.get(flowId);
    if (flow === undefined) return undefined;
    const inLanguage = language !== undefined ? flow.byLanguage.get(language)?.get(name) : undefined;
    return (inLanguage ?? flow.byLanguage.get(flow.language)?.get(name))?.get(format);
  }

  languages(flowId: string): readonly string[] {
    return [...(this.#flows.get(flowId)?.byLanguage.keys() ?? [])];
  }

  silence(ms: number, format: MediaFormat): EncodedAudio {
    const spec = FORMAT_SPECS[format];
    const samples = Number.isFinite(ms) && ms > 0 ? Math.round((ms * spec.sampleRate) / 1000) : 0;
    const key = `${format}|${samples}`;
    const cached = this.#silences.get(key);
    if (cached !== undefined) return cached;
    // μ-law encodes a zero sample as 0xFF; L16 silence is zero bytes.
    const data = Buffer.alloc(samples * spec.bytesPerSample, spec.contentType === 'audio/x-mulaw' ? 0xff : 0);
    const audio = encodedAudio(data, format);
    if (this.#silences.size < SILENCE_CACHE_LIMIT) this.#silences.set(key, audio);
    return audio;
  }

  text(flowId: string, name: string, language?: string): string | undefined {
    const flow = this.#flows.get(flowId);
    const spoken = flow === undefined ? language : spokenLanguage(flow.languages, language);
    const words = flow !== undefined && spoken !== undefined ? promptText(flow.doc, name, spoken) ?? promptText(flow.doc, name, flow.language) : undefined;
    return words ?? systemPromptWords(spoken ?? DEFAULTS.language).get(name);
  }

  say(flowId: string, text: string, format: MediaFormat, language: string | undefined, timeoutMs: number): EncodedAudio | Promise<EncodedAudio> {
    const flow = this.#flows.get(flowId);
    const spoken = flow === undefined ? language ?? DEFAULTS.language : spokenLanguage(flow.languages, language);
    return this.#speech.say(text, { language: spoken, voice: flow?.voice }, format, timeoutMs);
  }

  settled(): Promise<void> {
    return this.#speech.settled();
  }
}
