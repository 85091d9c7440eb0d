import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * An option that starts another (`1` and `12`): after the caller presses 1 the menu must wait
 * the inter-digit timeout to see whether 2 follows, so option 1 always feels slow.
 */
export const optionPrefix: FlowCheck = (ctx) => {
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if (!('menu' in node)) continue;
    const keys = Object.keys(node.menu.options ?? {});
    // Sorted, every option that starts with another comes right after it: one pass, not a search per option.
    const sorted = [...keys].sort();
    const longerOf = new Map<string, string>();
    for (let i = 0; i + 1 < sorted.length; i++) if (sorted[i + 1]!.startsWith(sorted[i]!)) longerOf.set(sorted[i]!, sorted[i + 1]!);
    for (const short of keys) {
      const longer = longerOf.get(short);
      if (longer === undefined) continue;
      ctx.report(
        'option-prefix',
        pointerOf('nodes', name, 'menu', 'options', short),
        `node \`${name}\`: option \`${short}\` is the start of option \`${longer}\`, so after ${short} the menu waits for the inter-digit timeout before choosing it`,
        'key',
      );
    }
  }
};
