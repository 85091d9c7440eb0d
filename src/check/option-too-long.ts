import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * An option longer than the menu's `maxDigits`: the menu decides after `maxDigits` keys, so
 * that option can never be chosen.
 */
export const optionTooLong: FlowCheck = (ctx) => {
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if (!('menu' in node) || node.menu.maxDigits === undefined) continue;
    const maxDigits = node.menu.maxDigits;
    for (const key of Object.keys(node.menu.options ?? {})) {
      if (key.length <= maxDigits) continue;
      ctx.report(
        'option-too-long',
        pointerOf('nodes', name, 'menu', 'options', key),
        `node \`${name}\`: option \`${key}\` has ${key.length} keys but \`menu.maxDigits\` is ${maxDigits}, so it can never be chosen`,
        'key',
      );
    }
  }
};
