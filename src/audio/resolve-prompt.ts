import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { BEEP_PROMPT, DEFAULTS } from '../flow/defaults.js';
import { fileInLanguage } from '../flow/languages.js';
import { isInside, realFolder } from '../parse/read-flow-file.js';
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
 * entry's `file` must stay inside the flow's folder; anything else resolves to nothing. A file
 * found there that is a link leading out of the flow's folder (its real path is elsewhere: another
 * tenant's prompts, the server's recordings) is refused with a reason, never played; links that
 * stay inside (a ConfigMap's `..data`) are fine.
 */

export type PromptSource = 'prompts-entry' | 'language-folder' | 'prompt-folder' | 'system' | 'synthesized';

export type PromptResolution =
  | { ok: true; path: string; source: PromptSource }
  /** `refused`: a file is there but may not be played (a link out of the flow's folder). */
  | { ok: false; reason: string; synthesis?: true; refused?: true };

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
  const plain = join(promptDir, `${name}.wav`);
  for (const [path, source] of [[inLanguage, 'language-folder'], [plain, 'prompt-folder']] as const) {
    const found = fileIn(flow.dir, path);
    if (found === 'file') return { ok: true, path, source };
    if (found === 'outside') return leavesFolder(flow.dir, path);
  }

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
  const promptsOk = isBelow(flowDir, underPrompts);
  const flowOk = isBelow(flowDir, underFlow);
  const inPrompts = promptsOk ? fileIn(flowDir, underPrompts) : 'none';
  if (inPrompts === 'file') return { ok: true, path: underPrompts, source: 'prompts-entry' };
  if (inPrompts === 'outside') return leavesFolder(flowDir, underPrompts);
  const inFlow = flowOk ? fileIn(flowDir, underFlow) : 'none';
  if (inFlow === 'file') return { ok: true, path: underFlow, source: 'prompts-entry' };
  if (inFlow === 'outside') return leavesFolder(flowDir, underFlow);
  if (promptsOk) return { ok: true, path: underPrompts, source: 'prompts-entry' };
  return { ok: false, reason: `prompts.${name}.file "${file}" points outside the flow's folder` };
}

function isPlainSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && !/[/\\\0]/.test(segment);
}

/** Whether `path` is below `dir` (the folder itself is no file in it): read-flow-file.ts's one rule of what is inside a folder. */
function isBelow(dir: string, path: string): boolean {
  return relative(dir, path) !== '' && isInside(path, dir);
}

/**
 * Whether `path` is a regular file whose real path is inside the real path of `dir` (`outside`:
 * it exists but a link leads out), or nothing there.
 */
function fileIn(dir: string, path: string): 'file' | 'outside' | 'none' {
  if (!isFile(path)) return 'none';
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return 'none';
  }
  return isInside(real, realFolder(dir)) ? 'file' : 'outside';
}

function leavesFolder(dir: string, path: string): PromptResolution {
  // The link's target is not the author's business (read-flow-file.ts): only the path in the folder is named.
  return { ok: false, reason: `${relative(dir, path)} is a link that leads outside the flow's folder; only files inside it are played`, refused: true };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
