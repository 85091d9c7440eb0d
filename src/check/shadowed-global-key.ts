import { pointerOf } from '../parse/flow-source.js';
import { targetOf } from '../flow/types.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/** A menu option on a global key: in this menu the option wins, which may surprise callers. */
export const shadowedGlobalKey: FlowCheck = (ctx) => {
  const global = ctx.doc.global ?? {};
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if (!('menu' in node) || node.menu.global === false) continue;
    for (const key of Object.keys(node.menu.options ?? {})) {
      const g = global[key];
      if (g === undefined) continue;
      ctx.report(
        'shadowed-global-key',
        pointerOf('nodes', name, 'menu', 'options', key),
        `node \`${name}\`: option \`${key}\` shadows the global key \`${key}\` (→ \`${targetOf(g).goto}\`); in this menu it goes to \`${targetOf(node.menu.options![key]!).goto}\` instead — set \`global: false\` if that is intended`,
        'key',
      );
    }
  }
};
