import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/** A branch ends with exactly one default case (no `if`), so some case is always taken. */
export const branchDefault: FlowCheck = (ctx) => {
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if (!('branch' in node)) continue;
    const cases = node.branch;
    const defaults = cases.flatMap((c, i) => (c.if === undefined ? [i] : []));
    if (defaults.length === 0) {
      ctx.report('branch-no-default', pointerOf('nodes', name, 'branch'), `node \`${name}\`: branch has no default case; add a last case with only \`goto\` for when no \`if\` holds`, 'key');
      continue;
    }
    for (const i of defaults) {
      if (i === cases.length - 1) continue;
      ctx.report(
        'branch-default-not-last',
        pointerOf('nodes', name, 'branch', i),
        `node \`${name}\`: case ${i + 1} of ${cases.length} has no \`if\`, so the cases after it never run; move it last`,
      );
    }
  }
};
