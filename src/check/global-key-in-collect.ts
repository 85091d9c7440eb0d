import { compileRegex } from '../expr/linear-regex.js';
import { pointerOf } from '../parse/flow-source.js';
import { targetOf, type CollectSpec } from '../flow/types.js';
import { DEFAULTS } from '../flow/defaults.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * In a collect, global keys apply to the first key (flow-language.md, "Menus"): a global key
 * that is also a digit the collect accepts means entries starting with that digit can never be
 * typed. The terminator is not input, so it is not a conflict.
 */
export const globalKeyInCollect: FlowCheck = (ctx) => {
  const global = ctx.doc.global ?? {};
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if (!('collect' in node) || node.collect.global === false) continue;
    for (const key of keysTakenFirst(node.collect, Object.keys(global))) {
      const target = global[key]!;
      ctx.report(
        'global-key-in-collect',
        pointerOf('nodes', name, 'collect'),
        `node \`${name}\`: global key \`${key}\` (→ \`${targetOf(target).goto}\`) is also a digit this collect accepts, so an entry cannot start with ${key}; set \`global: false\` on the collect or use another global key`,
        'key',
      );
    }
  }
};

/**
 * The global keys among `keys` that `collect` would take as the first key of an entry: one key
 * long, not its terminator, and one its pattern accepts first. The one rule for this flow's
 * global keys (above) and a calling flow's (flow-set.ts, inside subflows).
 */
export function keysTakenFirst(collect: CollectSpec, keys: Iterable<string>): string[] {
  const terminator = collect.terminator ?? DEFAULTS.collectTerminator;
  const accepted = acceptedFirstKey(collect.pattern);
  return [...keys].filter((key) => key.length === 1 && key !== terminator && accepted(key));
}

/**
 * Whether a key could start an accepted entry: any digit without a pattern, else tried against the
 * pattern, on RE2 like at run time, so trying cannot take more than linear time whatever the pattern.
 */
function acceptedFirstKey(pattern: string | undefined): (key: string) => boolean {
  if (pattern === undefined) return (key) => /[0-9]/.test(key);
  const compiled = compileRegex(pattern);
  if (!compiled.ok) return () => false; // invalid-regex reports it
  const re = compiled.regex;
  // Probe with the key followed by plausible tails: enough for the usual ^[0-9]{n,m}$ patterns.
  return (key) => [0, 1, 3, 5, 9, 15].some((n) => re.test(key + '1'.repeat(n)) || re.test(key + '0'.repeat(n)));
}
