/**
 * The regular expressions of the flow language (`collect.pattern`, `menu.match[].pattern`, CEL
 * `matches`) run on RE2's engine (re2js, a maintained pure-JS port of RE2/J): matching takes time
 * linear in the input whatever the pattern, so `^([0-9]+)+$` or `^(1|1|1)*$z` cannot freeze a
 * server the way a backtracking engine (JavaScript's RegExp) can. The price is RE2's syntax: no
 * backreferences (`\1`) and no lookaround (`(?=…)`, `(?<!…)`); such a pattern is
 * `regex-unsupported`, one that is no regular expression at all `invalid-regex`.
 *
 * @example
 *   const r = compileRegex('^[0-9]{4}$');
 *   if (r.ok) r.regex.test('1234'); // true
 */
import { RE2JS } from 're2js';

/** A compiled pattern: `test` finds it anywhere in the input, like RegExp's `test`. */
export interface LinearRegex {
  readonly source: string;
  test(input: string): boolean;
}

export type RegexResult = { ok: true; regex: LinearRegex } | { ok: false; code: 'invalid-regex' | 'regex-unsupported'; why: string };

/** A pattern that never matches: what a pattern that did not compile becomes at run time (validate has reported it). */
export const NEVER_MATCHES: LinearRegex = { source: '(never)', test: () => false };

// Flows repeat their patterns and CEL `matches` may compile one per evaluation: cache by text, bounded.
const cache = new Map<string, RegexResult>();
const MAX_CACHED = 2000;

export function compileRegex(pattern: string): RegexResult {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const result = compileUncached(pattern);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(pattern, result);
  return result;
}

function compileUncached(pattern: string): RegexResult {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    return { ok: false, ...whyNot(pattern, err) };
  }
  return { ok: true, regex: { source: pattern, test: (input) => re.test(input) } };
}

/**
 * Tells a pattern RE2 cannot run from one that is not a pattern: JavaScript's parser accepts the
 * former (building a RegExp is safe; only matching with it can take exponential time).
 */
function whyNot(pattern: string, err: unknown): { code: 'invalid-regex' | 'regex-unsupported'; why: string } {
  const re2Why = ((err as { getDescription?: () => string }).getDescription?.() ?? (err as Error).message).replace(/^error parsing regexp: /, '');
  try {
    new RegExp(pattern);
  } catch (jsErr) {
    return { code: 'invalid-regex', why: (jsErr as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') };
  }
  return { code: 'regex-unsupported', why: `RE2 syntax has no ${feature(pattern) ?? 'such construct'} (${re2Why}); patterns run in linear time, so backreferences and lookaround are not available` };
}

function feature(pattern: string): string | undefined {
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences';
  if (/\(\?<?[=!]/.test(pattern)) return 'lookaround';
  return undefined;
}
