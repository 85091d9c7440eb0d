import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * A split's percents add up to at most 100, and the case without `percent` (the rest) comes last;
 * when they add up to less than 100 that case must exist, or some calls would have nowhere to go.
 * (Whole percents from 1 to 100 are the schema's rule.)
 */
export const splitCases: FlowCheck = (ctx) => {
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if (!('split' in node)) continue;
    const cases = node.split;
    const total = cases.reduce((sum, c) => sum + (c.percent ?? 0), 0);
    if (total > 100) {
      ctx.report('split-over-100', pointerOf('nodes', name, 'split'), `node \`${name}\`: the split's percents add up to ${total}; they may add up to at most 100`, 'key');
    }
    const rest = cases.flatMap((c, i) => (c.percent === undefined ? [i] : []));
    for (const i of rest) {
      if (i === cases.length - 1) continue;
      ctx.report('split-rest-not-last', pointerOf('nodes', name, 'split', i),
        `node \`${name}\`: case ${i + 1} of ${cases.length} has no \`percent\` (it takes the rest of the calls), so the cases after it are never taken; move it last`);
    }
    if (rest.length === 0 && total < 100) {
      ctx.report('split-no-rest', pointerOf('nodes', name, 'split'),
        `node \`${name}\`: the split's percents add up to ${total}, so ${100 - total}% of calls would have nowhere to go; add a last case with only \`goto\` for the rest`, 'key');
    }
  }
};
