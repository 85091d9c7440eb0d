import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BEEP_PROMPT } from '../flow/defaults.js';

/**
 * The engine's system prompt set: the words `{ digits }` and `{ number }` items are spoken with
 * (flow-language.md, "Prompt items"), plus the `beep` a `record` node plays. English has one WAV per
 * name under `src/audio/system-prompts/en/`; a language without WAVs there has its words
 * synthesized at load. A flow may override any of them with its own file.
 */

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** Every English system prompt name with its words (for transcripts and `ivr call`). */
export const SYSTEM_PROMPT_WORDS: ReadonlyMap<string, string> = new Map<string, string>([
  ...ONES.map((word, n): [string, string] => [`digit-${n}`, word]),
  ...TEENS.map((word, i): [string, string] => [`number-${10 + i}`, word]),
  ...TENS.map((word, i): [string, string] => [`number-${20 + 10 * i}`, word]),
  ['hundred', 'hundred'],
  ['thousand', 'thousand'],
  ['million', 'million'],
  ['minus', 'minus'],
  ['point', 'point'],
  [BEEP_PROMPT, '(beep)'],
]);

export const SYSTEM_PROMPT_NAMES: readonly string[] = [...SYSTEM_PROMPT_WORDS.keys()];

const ES_ONES = ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'];
const ES_10_29 = [
  'diez', 'once', 'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve',
  'veinte', 'veintiuno', 'veintidós', 'veintitrés', 'veinticuatro', 'veinticinco', 'veintiséis', 'veintisiete', 'veintiocho', 'veintinueve',
];
const ES_TENS = ['treinta', 'cuarenta', 'cincuenta', 'sesenta', 'setenta', 'ochenta', 'noventa'];
const ES_HUNDREDS = ['ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos', 'setecientos', 'ochocientos', 'novecientos'];

/**
 * The Spanish set. Spanish numbers need words English does not (compile/say-number.ts reads
 * them): 16-29 are single words ("veintiuno"), 31-99 join with "y" (`and`), 100 alone is "cien"
 * (`hundred`) but "ciento" before more (`hundreds-1`), each hundred has its own word, "un"
 * replaces "uno" before "mil"/"millón" (`un`, `number-21-un` = "veintiún"), and "millones" is
 * the plural (`millions`). No WAVs are committed for it: the words are synthesized at load.
 */
const SPANISH_WORDS: ReadonlyMap<string, string> = new Map<string, string>([
  ...ES_ONES.map((word, n): [string, string] => [`digit-${n}`, word]),
  ...ES_10_29.map((word, i): [string, string] => [`number-${10 + i}`, word]),
  ...ES_TENS.map((word, i): [string, string] => [`number-${30 + 10 * i}`, word]),
  ['and', 'y'],
  ['hundred', 'cien'],
  ...ES_HUNDREDS.map((word, i): [string, string] => [`hundreds-${i + 1}`, word]),
  ['thousand', 'mil'],
  ['million', 'millón'],
  ['millions', 'millones'],
  ['un', 'un'],
  ['number-21-un', 'veintiún'],
  ['minus', 'menos'],
  ['point', 'punto'],
  [BEEP_PROMPT, '(beep)'],
]);

const WORDS_BY_LANGUAGE: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ['en', SYSTEM_PROMPT_WORDS],
  ['es', SPANISH_WORDS],
]);

/** The languages the engine ships a system prompt set for. */
export const SYSTEM_LANGUAGES: readonly string[] = [...WORDS_BY_LANGUAGE.keys()];

/** The system prompt names of a language with their words (English for a language without a set). */
export function systemPromptWords(language: string): ReadonlyMap<string, string> {
  return WORDS_BY_LANGUAGE.get(language) ?? SYSTEM_PROMPT_WORDS;
}

/** The words a system prompt says in `language`, when the engine has a set for that language. */
export function systemPromptText(name: string, language: string): string | undefined {
  // The beep is a tone, not words: it is never synthesized.
  if (name === BEEP_PROMPT) return undefined;
  return WORDS_BY_LANGUAGE.get(language)?.get(name);
}

/** Whether `name` is a system prompt name in any language. */
export function isSystemPromptName(name: string): boolean {
  for (const words of WORDS_BY_LANGUAGE.values()) if (words.has(name)) return true;
  return false;
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
