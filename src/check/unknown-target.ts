import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { FlowCheck } from './check-context.js';
import { nodePrefix } from './check-context.js';
import { targetRefs } from './flow-walk.js';

/** Every start/next/option/handler/goto/onError/onFailure names an existing node. */
export const unknownTarget: FlowCheck = (ctx) => {
  const names = Object.keys(ctx.doc.nodes);
  for (const ref of targetRefs(ctx.doc)) {
    if (Object.hasOwn(ctx.doc.nodes, ref.target)) continue;
    ctx.report(
      'unknown-target',
      ref.pointer,
      () => `${nodePrefix(ref.from)}\`${ref.role}\` goes to \`${ref.target}\`, which is not a node of this flow${didYouMean(ref.target, names)}`,
    );
  }
};
