import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BEEP_PROMPT, DEFAULTS } from '../flow/defaults.js';
import { fileInLanguage } from '../flow/languages.js';
import type { FlowDoc } from '../flow/types.js';
import { SYSTEM_PROMPTS_DIR, isSystemPromptName } from './system-set.js';

/**
 * Where a prompt name's audio comes from (flow-language.md, "Prompt items"), first match wins:
 *   1. an entry in the flow's `prompts:` with a `file` (`{language}` in it is replaced) — relative to the flow's *prompt
 *      directory* `<flow dir>/prompts/`; a path relative to the flow's own folder is accepted
 *      too when no such file exists under prompts/ (`file: prompts/welcome.wav` then also works);
 *   2. `<flow dir>/prompts/<language>/<name>.wav`;
 *   3. `<flow dir>/prompts/<name>.wav`;
 *   4. for system names only (digit-0…9, number-10…19, number-20…90 by tens, hundred, thousand,
 *      million, minus, point, beep): the engine's `system-prompts/<language>/<name>.wav`.
 * An entry with only `text` resolves by name (2-4); when nothing is found the prompt store
 * synthesizes the text. A `prompts:` entry's `file` is final: when it is missing, the entry's path is still the answer
 * (so `validate` reports "file not found" for it rather than silently using another file).
 *
 * Path safety: a name or language is one plain path segment (no `/`, `\`, `..`), and an
 * entry's `file` must stay inside the flow's folder; anything else resolves to nothing.
 */

export type PromptSource = 'prompts-entry' | 'language-folder' | 'prompt-folder' | 'system' | 'synthesized';

export type PromptResolution =
  | { ok: true; path: string; source: PromptSource }
  | { ok: false; reason: string; synthesis?: true };

export interface PromptOwner {
  /** The flow's folder (absolute). */
  dir: string;
  doc: FlowDoc;
}

/**
 * The absolute path of the WAV a prompt name plays, or undefined when it resolves to nothing.
 *
 * @example
 *   resolvePromptFile(flow, 'welcome', 'en')  // '/srv/flows/prompts/en/welcome.wav'
 *   resolvePromptFile(flow, 'digit-7', 'en')  // '<engine>/src/audio/system-prompts/en/digit-7.wav'
 */
export function resolvePromptFile(flow: PromptOwner, name: string, language: string): string | undefined {
  const found = resolvePrompt(flow, name, language);
  return found.ok ? found.path : undefined;
}

/** `resolvePromptFile` with where the file came from, or why there is none (for `validate`). */
export function resolvePrompt(flow: PromptOwner, name: string, language: string): PromptResolution {
  if (!isPlainSegment(name)) return { ok: false, reason: `prompt name "${name}" is not a plain file name` };
  if (!isPlainSegment(language)) return { ok: false, reason: `language "${language}" is not a plain folder name` };
  const promptDir = join(flow.dir, 'prompts');

  const entry = flow.doc.prompts !== undefined && Object.hasOwn(flow.doc.prompts, name) ? flow.doc.prompts[name] : undefined;
  // An entry without `file` (text only) is found by name like any other, else synthesized.
  if (entry?.file !== undefined) return resolveEntry(flow.dir, promptDir, name, fileInLanguage(entry.file, language));

  const inLanguage = join(promptDir, language, `${name}.wav`);
  if (isFile(inLanguage)) return { ok: true, path: inLanguage, source: 'language-folder' };
  const plain = join(promptDir, `${name}.wav`);
  if (isFile(plain)) return { ok: true, path: plain, source: 'prompt-folder' };

  if (isSystemPromptName(name)) {
    const system = join(SYSTEM_PROMPTS_DIR, language, `${name}.wav`);
    if (isFile(system)) return { ok: true, path: system, source: 'system' };
    // The beep is a tone, the same in every language.
    const beep = join(SYSTEM_PROMPTS_DIR, DEFAULTS.language, `${name}.wav`);
    if (name === BEEP_PROMPT && isFile(beep)) return { ok: true, path: beep, source: 'system' };
    return { ok: false, reason: `no system prompt "${name}" for language "${language}" and no ${relative(flow.dir, inLanguage)}` };
  }
  return {
    ok: false,
    reason: `no prompts: entry and no file ${relative(flow.dir, inLanguage)} or ${relative(flow.dir, plain)}`,
  };
}

function resolveEntry(flowDir: string, promptDir: string, name: string, file: string): PromptResolution {
  if (typeof file !== 'string' || file === '' || isAbsolute(file)) {
    return { ok: false, reason: `prompts.${name}.file must be a path relative to the prompt directory` };
  }
  const underPrompts = resolve(promptDir, file);
  const underFlow = resolve(flowDir, file);
  const promptsOk = isInside(flowDir, underPrompts);
  const flowOk = isInside(flowDir, underFlow);
  if (promptsOk && isFile(underPrompts)) return { ok: true, path: underPrompts, source: 'prompts-entry' };
  if (flowOk && isFile(underFlow)) return { ok: true, path: underFlow, source: 'prompts-entry' };
  if (promptsOk) return { ok: true, path: underPrompts, source: 'prompts-entry' };
  return { ok: false, reason: `prompts.${name}.file "${file}" points outside the flow's folder` };
}

function isPlainSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && !/[/\\\0]/.test(segment);
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
