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
    for (const short of keys) {
      const longer = keys.find((k) => k !== short && k.startsWith(short));
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
