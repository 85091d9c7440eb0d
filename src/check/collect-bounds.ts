import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/** A collect's `min` is at most its `max` (else every entry is a no-match). */
export const collectBounds: FlowCheck = (ctx) => {
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if (!('collect' in node)) continue;
    const { min, max } = node.collect;
    if (min !== undefined && max !== undefined && min > max) {
      ctx.report('min-greater-than-max', pointerOf('nodes', name, 'collect', 'min'), `node \`${name}\`: \`collect.min\` (${min}) is greater than \`collect.max\` (${max}), so no entry can be accepted`);
    }
  }
};
