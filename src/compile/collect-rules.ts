import type { LinearRegex } from '../expr/linear-regex.js';

/**
 * How a collect node decides (flow-language.md, "Collect"), as pure functions of the keys so far.
 * Decisions: `ok`, `noMatch`, `global:<key>`, or null while collecting. The `valid` expression is
 * evaluated by the machine (it needs the call's scope); here only the shape rules.
 */
export interface CollectRules {
  min: number;
  max: number;
  /** '' for none. */
  terminator: string;
  pattern: LinearRegex | null;
  /** Global keys that apply to the first key (empty with `global: false`). */
  globals: string[];
}

/** Decision once a key was added: complete on the terminator or max digits, else keep collecting. */
export function decideCollect(rules: CollectRules, keys: string, final: boolean): string | null {
  // Global keys count only as the very first key: once the caller has started typing, every key is input.
  if (keys.length === 1 && rules.globals.includes(keys)) return `global:${keys}`;
  const terminated = rules.terminator !== '' && keys.endsWith(rules.terminator);
  if (!terminated && !final && keys.length < rules.max) return null;
  return checkCollected(rules, collectInput(rules, keys));
}

/** The digits a collect stores: the keys without the terminator. */
export function collectInput(rules: CollectRules, keys: string): string {
  return rules.terminator !== '' && keys.endsWith(rules.terminator) ? keys.slice(0, -rules.terminator.length) : keys;
}

function checkCollected(rules: CollectRules, digits: string): string {
  if (digits.length < rules.min) return 'noMatch';
  if (rules.pattern && !rules.pattern.test(digits)) return 'noMatch';
  return 'ok';
}
