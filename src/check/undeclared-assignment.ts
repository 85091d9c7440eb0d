import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { FlowCheck } from './check-context.js';
import { nodePrefix } from './check-context.js';
import { assignRefs } from './flow-walk.js';

/** Every variable the flow writes (set, collect.into, record.into, subflow output) is declared in `vars:`. */
export const undeclaredAssignment: FlowCheck = (ctx) => {
  const declared = Object.keys(ctx.doc.vars ?? {});
  for (const ref of assignRefs(ctx.doc)) {
    if (declared.includes(ref.name)) continue;
    ctx.report(
      'undeclared-assignment',
      ref.pointer,
      `${nodePrefix(ref.node)}assigns \`${ref.name}\`, which is not declared under \`vars:\`${didYouMean(ref.name, declared)}`,
      ref.part,
    );
  }
};
