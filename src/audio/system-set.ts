import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The engine's system prompt set: the words `{ digits }` and `{ number }` items are spoken with
 * (flow-language.md, "Prompt items"), plus the `beep` a `record` node plays. One WAV per name
 * under `src/audio/system-prompts/<language>/`; a flow may override any of them with its own file.
 */

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** Every system prompt name with its English words (for transcripts and `ivr call`). */
export const SYSTEM_PROMPT_WORDS: ReadonlyMap<string, string> = new Map<string, string>([
  ...ONES.map((word, n): [string, string] => [`digit-${n}`, word]),
  ...TEENS.map((word, i): [string, string] => [`number-${10 + i}`, word]),
  ...TENS.map((word, i): [string, string] => [`number-${20 + 10 * i}`, word]),
  ['hundred', 'hundred'],
  ['thousand', 'thousand'],
  ['million', 'million'],
  ['minus', 'minus'],
  ['point', 'point'],
  ['beep', '(beep)'],
]);

export const SYSTEM_PROMPT_NAMES: readonly string[] = [...SYSTEM_PROMPT_WORDS.keys()];

export function isSystemPromptName(name: string): boolean {
  return SYSTEM_PROMPT_WORDS.has(name);
}

/**
 * The folder holding `<language>/<name>.wav`. The WAVs live beside the TypeScript source, so
 * from the compiled module (dist/src/audio/) the folder is found back in src/.
 */
export const SYSTEM_PROMPTS_DIR: string = locateSystemPrompts();

function locateSystemPrompts(): string {
  const candidates = ['./system-prompts/', '../../../src/audio/system-prompts/'];
  for (const relative of candidates) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(dir)) return dir.replace(/[\\/]$/, '');
  }
  // Not found (a broken install): resolution then finds no system prompt, and `validate` says so.
  return fileURLToPath(new URL(candidates[0] ?? '', import.meta.url)).replace(/[\\/]$/, '');
}
