import { DEFAULTS } from './defaults.js';
import type { FlowDoc } from './types.js';

/** The built-in variable holding the call's language; `set: { language: "'es'" }` switches it. */
export const LANGUAGE_VAR = 'language';

/**
 * The languages a flow speaks (flow-language.md v1.1, "Per-call language"): `settings.languages`,
 * else `settings.language` alone, else English. The first is the flow's default.
 *
 * @example flowLanguages({ settings: { languages: ['en', 'es'] } })  // ['en', 'es']
 */
export function flowLanguages(doc: Pick<FlowDoc, 'settings'>): string[] {
  const listed = doc.settings?.languages;
  if (listed !== undefined && listed.length > 0) return [...listed];
  return [doc.settings?.language ?? DEFAULTS.language];
}

/**
 * The language a flow speaks (`languages`: its own, the default first) to a caller who asked for
 * `asked` (`lang=` in extra_headers, or the call's language inside a subflow): that one when the
 * flow speaks it, else its default.
 */
export function spokenLanguage(languages: readonly string[], asked: string | undefined): string {
  return asked !== undefined && languages.includes(asked) ? asked : languages[0] ?? DEFAULTS.language;
}

export function defaultLanguage(doc: Pick<FlowDoc, 'settings'>): string {
  return flowLanguages(doc)[0] ?? DEFAULTS.language;
}

/**
 * The words of a `prompts:` entry in `language`: `text: { en, es }` gives one per language; a
 * plain `text` is in the flow's default language only.
 */
export function promptText(doc: Pick<FlowDoc, 'settings' | 'prompts'>, name: string, language: string): string | undefined {
  const entry = doc.prompts !== undefined && Object.hasOwn(doc.prompts, name) ? doc.prompts[name] : undefined;
  const text = entry?.text;
  if (text === undefined) return undefined;
  if (typeof text === 'string') return language === defaultLanguage(doc) ? text : undefined;
  return Object.hasOwn(text, language) ? text[language] : undefined;
}

/** The `{language}` placeholder a prompt entry's `file` may contain. */
export function fileInLanguage(file: string, language: string): string {
  return file.split('{language}').join(language);
}
