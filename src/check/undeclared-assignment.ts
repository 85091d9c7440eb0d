import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { FlowCheck } from './check-context.js';
import { nodePrefix } from './check-context.js';
import { assignRefs } from './flow-walk.js';
import { LANGUAGE_VAR } from '../flow/languages.js';

/** Every variable the flow writes (set, collect.into, record.into, subflow output) is declared in `vars:`. */
export const undeclaredAssignment: FlowCheck = (ctx) => {
  const declared = Object.keys(ctx.doc.vars ?? {});
  for (const ref of assignRefs(ctx.doc)) {
    // `language` is built in: assigning it switches the call's language (flow-language.md v1.1).
    if (declared.includes(ref.name) || ref.name === LANGUAGE_VAR) continue;
    ctx.report(
      'undeclared-assignment',
      ref.pointer,
      () => `${nodePrefix(ref.node)}assigns \`${ref.name}\`, which is not declared under \`vars:\`${didYouMean(ref.name, declared)}`,
      ref.part,
    );
  }
};
