import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFAULTS } from '../flow/defaults.js';
import type { LoadedFlow } from '../flow/loaded-flow.js';
import { convertToFormats, encodedAudio, FORMAT_SPECS } from './convert.js';
import { promptUsesOf } from './prompt-names.js';
import { resolvePrompt } from './resolve-prompt.js';
import { SYSTEM_PROMPT_NAMES, SYSTEM_PROMPT_WORDS, SYSTEM_PROMPTS_DIR } from './system-set.js';
import { MEDIA_FORMATS, type EncodedAudio, type MediaFormat, type PromptStore } from './types.js';
import { decodeWav } from './wav.js';

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

type Converted = Map<MediaFormat, EncodedAudio>;
type FileResult = { ok: true; audio: Converted } | { ok: false; reason: string; missing?: true };

interface FlowPrompts {
  language: string;
  /** language -> prompt name -> audio per format. */
  byLanguage: Map<string, Map<string, Converted>>;
  texts: Map<string, string>;
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
  const files = new Map<string, FileResult>();
  const diagnostics: Diagnostic[] = [];
  const used = new Set<string>();
  const loadFile = (path: string): FileResult => {
    let result = files.get(path);
    if (result === undefined) {
      result = convertFile(path, formats, used);
      files.set(path, result);
    }
    return result;
  };

  const byFlow = new Map<string, FlowPrompts>();
  for (const flow of flows) {
    byFlow.set(flow.id, loadFlow(flow, loadFile, diagnostics));
    // Conversion is synchronous CPU work; yield between flows so a reload does not stall
    // calls already in progress on the same event loop for the whole load.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Forget conversions this load did not use (audio edited or removed since): stores already
  // built keep their own references, so only memory is given back.
  for (const key of conversions.keys()) if (!used.has(key)) conversions.delete(key);
  return { store: new LoadedPromptStore(byFlow), diagnostics };
}

function loadFlow(flow: LoadedFlow, loadFile: (path: string) => FileResult, diagnostics: Diagnostic[]): FlowPrompts {
  const language = flow.doc.settings?.language ?? DEFAULTS.language;
  const uses = promptUsesOf(flow.doc);
  const prompts: FlowPrompts = { language, byLanguage: new Map(), texts: new Map() };
  for (const [name, def] of Object.entries(flow.doc.prompts ?? {})) {
    if (typeof def.text === 'string') prompts.texts.set(name, def.text);
  }

  for (const lang of languagesOf(flow, language)) {
    const isMain = lang === language;
    const names = new Map<string, Converted>();
    const wanted = new Map<string, string | undefined>(uses.names);
    for (const name of SYSTEM_PROMPT_NAMES) if (!wanted.has(name)) wanted.set(name, systemPointer(name, uses));
    for (const [name, pointer] of wanted) {
      const found = resolvePrompt(flow, name, lang);
      // Problems are reported for the flow's own language only: other languages are extras a
      // call may ask for (and fall back from), not promises the flow made.
      const report = isMain && pointer !== undefined;
      if (!found.ok) {
        if (report) diagnostics.push(diagnostic(flow, PROMPT_STORE_CODES.notFound, pointer, `prompt "${name}": ${found.reason}`));
        continue;
      }
      const file = loadFile(found.path);
      if (!file.ok) {
        const code = file.missing ? PROMPT_STORE_CODES.missing : PROMPT_STORE_CODES.unusable;
        if (report) diagnostics.push(diagnostic(flow, code, pointer, `prompt "${name}" (${found.path}): ${file.reason}`));
        continue;
      }
      names.set(name, file.audio);
    }
    prompts.byLanguage.set(lang, names);
  }
  return prompts;
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

/**
 * Converted audio by file content and formats, kept across loads: a reload of `ivr serve` (or a
 * second test run in one process) reconverts only the files whose bytes changed, and unchanged
 * prompts stay the very same objects.
 */
const conversions = new Map<string, Converted>();

function convertFile(path: string, formats: readonly MediaFormat[], used: Set<string>): FileResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'file not found', missing: true };
    if (code === 'EISDIR') return { ok: false, reason: 'a folder, not a file' };
    return { ok: false, reason: `not readable (${code ?? String(err)})` };
  }
  const key = `${formats.join(',')}:${createHash('sha1').update(bytes).digest('base64')}`;
  used.add(key);
  const cached = conversions.get(key);
  if (cached !== undefined) return { ok: true, audio: cached };
  const decoded = decodeWav(bytes);
  if (!decoded.ok) return decoded;
  const audio = convertToFormats(decoded.wav, formats);
  conversions.set(key, audio);
  return { ok: true, audio };
}

function diagnostic(flow: LoadedFlow, code: string, pointer: string, message: string): Diagnostic {
  // The store has no source map; the pointer lets the front end place the diagnostic on a line.
  return { code, severity: 'error', message, file: flow.file, line: 1, col: 1, pointer };
}

class LoadedPromptStore implements PromptStore {
  readonly #flows: Map<string, FlowPrompts>;
  readonly #silences = new Map<string, EncodedAudio>();

  constructor(flows: Map<string, FlowPrompts>) {
    this.#flows = flows;
  }

  /** A language the flow has no audio for falls back to the flow's own language. */
  get(flowId: string, name: string, format: MediaFormat, language?: string): EncodedAudio | undefined {
    const flow = this.#flows.get(flowId);
    if (flow === undefined) return undefined;
    const names = (language !== undefined ? flow.byLanguage.get(language) : undefined) ?? flow.byLanguage.get(flow.language);
    return names?.get(name)?.get(format);
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
