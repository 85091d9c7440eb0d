import type { LinearRegex } from '../expr/linear-regex.js';

/**
 * How a menu decides on keys (flow-language.md, "Menus"), as a pure function of the keys so far.
 * A decision is a string the machine config names in its guards: `option:<key>` (the node's own
 * option), `global:<key>` (a flow-wide key), `match:<index>` (a `match` rule), `noMatch`, or null
 * while the menu should keep collecting.
 */
import { DEFAULTS } from '../flow/defaults.js';

export interface MenuRules {
  options: string[];
  globals: string[];
  /** `match` patterns in order; null for a pattern that did not compile (never matches). */
  match: (LinearRegex | null)[];
  maxDigits: number;
  /** '' for none. */
  terminator: string;
  /** Every key is one character and there is no match list: the first key decides. */
  firstKeyDecides: boolean;
}

export function menuRules(options: string[], globals: string[], match: (LinearRegex | null)[], maxDigits?: number, terminator?: string): MenuRules {
  const own = new Set(options);
  const merged = [...options, ...globals.filter((g) => !own.has(g))];
  const firstKeyDecides = match.length === 0 && merged.every((k) => k.length === 1);
  const longest = Math.max(1, ...merged.map((k) => k.length));
  return {
    options,
    globals: globals.filter((g) => !own.has(g)),
    match,
    // With a match list the patterns say how long an input may be; only the terminator or the
    // inter-digit timeout end it, unless maxDigits is given.
    maxDigits: maxDigits ?? (match.length > 0 ? Number.POSITIVE_INFINITY : longest),
    // `#` ends the keys unless `#` is itself part of an option.
    terminator: terminator ?? (merged.some((k) => k.includes(DEFAULTS.menuTerminator)) ? '' : DEFAULTS.menuTerminator),
    firstKeyDecides,
  };
}

/** Decision after the keys so far; `final` when the inter-digit timeout has passed. */
export function decideMenu(rules: MenuRules, keys: string, final: boolean): string | null {
  if (keys === '') return final ? 'noMatch' : null;
  if (rules.firstKeyDecides) return exact(rules, keys.slice(0, 1)) ?? 'noMatch';
  if (rules.terminator !== '' && keys.endsWith(rules.terminator)) return decideKeys(rules, keys.slice(0, -rules.terminator.length));
  if (final || keys.length >= rules.maxDigits) return decideKeys(rules, keys);
  if (rules.match.length === 0) {
    const all = [...rules.options, ...rules.globals];
    if (all.includes(keys) && !all.some((k) => k !== keys && k.startsWith(keys))) return exact(rules, keys) ?? null;
  }
  return null;
}

/** The keys a menu decision consumed: without the terminator. */
export function menuInput(rules: MenuRules, keys: string): string {
  if (rules.firstKeyDecides) return keys.slice(0, 1);
  return rules.terminator !== '' && keys.endsWith(rules.terminator) ? keys.slice(0, -rules.terminator.length) : keys;
}

function decideKeys(rules: MenuRules, keys: string): string {
  const hit = exact(rules, keys);
  if (hit) return hit;
  const index = rules.match.findIndex((re) => re !== null && re.test(keys));
  return index >= 0 ? `match:${index}` : 'noMatch';
}

function exact(rules: MenuRules, keys: string): string | undefined {
  if (rules.options.includes(keys)) return `option:${keys}`;
  if (rules.globals.includes(keys)) return `global:${keys}`;
  return undefined;
}
