import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFAULTS } from '../flow/defaults.js';
import type { LoadedFlow } from '../flow/loaded-flow.js';
import { encodedAudio, FORMAT_SPECS } from './convert.js';
import { convertFiles, type Converted } from './convert-files.js';
import { promptUsesOf } from './prompt-names.js';
import { resolvePrompt, type PromptResolution } from './resolve-prompt.js';
import { SYSTEM_PROMPT_NAMES, SYSTEM_PROMPT_WORDS, SYSTEM_PROMPTS_DIR } from './system-set.js';
import { MEDIA_FORMATS, type EncodedAudio, type MediaFormat, type PromptStore } from './types.js';

/**
 * Loads every prompt the flows can play, converted once to each call format, and answers
 * `get(flow, name, format)` with shared, ready-to-send audio (STYLE.md: compile once, share
 * everything). Files are converted once per content, so the system set — and any file two flows
 * share — is decoded once and the very same `EncodedAudio` object serves every flow.
 */

export interface PromptStoreOptions {
  /** Call formats to prepare; default all three (a call's format is known only at its `start`). */
  formats?: readonly MediaFormat[];
}

/** The registry codes (diagnostics/codes.ts) the prompt store reports with. */
export const PROMPT_STORE_CODES = {
  /** A prompt name used by the flow resolves to no file. */
  notFound: 'unknown-prompt',
  /** The file a prompt resolves to does not exist (a `prompts:` entry's file). */
  missing: 'prompt-file-missing',
  /** The file exists but cannot be played (not a WAV, stereo, unsupported encoding, unreadable). */
  unusable: 'prompt-file-unsupported',
} as const;

// Silence lengths come from flows, so the set is small; the cap only guards against a runtime
// asking for ever-new lengths.
const SILENCE_CACHE_LIMIT = 1024;

export interface FlowPrompts {
  language: string;
  /** language -> prompt name -> audio per format. */
  byLanguage: Map<string, Map<string, Converted>>;
  texts: Map<string, string>;
}

/** One prompt a flow needs in one language, resolved to a file (or not). */
interface Want {
  flow: LoadedFlow;
  language: string;
  name: string;
  /** Where to report a problem; undefined when nobody would miss the audio (see below). */
  pointer: string | undefined;
  found: PromptResolution;
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
  const wants = [...flows].flatMap(wantsOf);
  const files = await convertFiles(
    wants.flatMap((want) => (want.found.ok ? [want.found.path] : [])),
    formats,
  );

  const diagnostics: Diagnostic[] = [];
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
        diagnostics.push(diagnostic(flow, PROMPT_STORE_CODES.notFound, pointer, `prompt "${name}": ${found.reason}`));
      } else if (file !== undefined) {
        const code = file.missing ? PROMPT_STORE_CODES.missing : PROMPT_STORE_CODES.unusable;
        diagnostics.push(diagnostic(flow, code, pointer, `prompt "${name}" (${found.path}): ${file.reason}`));
      }
    }
  }
  return { store: new LoadedPromptStore(byFlow), diagnostics };
}

function newFlowPrompts(flow: LoadedFlow): FlowPrompts {
  const texts = new Map<string, string>();
  for (const [name, def] of Object.entries(flow.doc.prompts ?? {})) {
    if (typeof def.text === 'string') texts.set(name, def.text);
  }
  return { language: languageOf(flow), byLanguage: new Map(), texts };
}

function languageOf(flow: LoadedFlow): string {
  return flow.doc.settings?.language ?? DEFAULTS.language;
}

/**
 * Every prompt name the flow plays plus the whole system set, in each language it may be
 * played in, resolved to files. Problems are reported for the flow's own language only (other
 * languages are extras a call may ask for and fall back from), and for a system name only when
 * the flow speaks digits/numbers or records with a beep.
 */
function wantsOf(flow: LoadedFlow): Want[] {
  const main = languageOf(flow);
  const uses = promptUsesOf(flow.doc);
  const names = new Map<string, string | undefined>(uses.names);
  for (const name of SYSTEM_PROMPT_NAMES) if (!names.has(name)) names.set(name, systemPointer(name, uses));
  const wants: Want[] = [];
  for (const language of languagesOf(flow, main)) {
    for (const [name, pointer] of names) {
      wants.push({ flow, language, name, pointer: language === main ? pointer : undefined, found: resolvePrompt(flow, name, language) });
    }
  }
  return wants;
}

/** Where a system name is needed: pointer of the first digits/number item, or the beeping record. */
function systemPointer(name: string, uses: ReturnType<typeof promptUsesOf>): string | undefined {
  return name === 'beep' ? uses.beeps : uses.speaks;
}

/**
 * The flow's language, plus any language folder it ships under prompts/ and every language of
 * the system set, so a call that asks for another language (e.g. from `extra_headers`) finds
 * audio prepared at load rather than converted on the call path.
 */
function languagesOf(flow: LoadedFlow, language: string): string[] {
  const languages = new Set([language]);
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

  constructor(flows: Map<string, FlowPrompts>) {
    this.#flows = flows;
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

  text(flowId: string, name: string): string | undefined {
    return this.#flows.get(flowId)?.texts.get(name) ?? SYSTEM_PROMPT_WORDS.get(name);
  }
}
