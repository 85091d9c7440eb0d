import { pointerOf } from '../parse/flow-source.js';
import { nodeKind } from '../flow/types.js';
import type { NodeKind } from '../flow/types.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';
import { NO_NEXT } from '../flow/flow-edges.js';

/** Kinds that continue to `next` when done (transfer's `next` is optional: it ends the call). */
const NEEDS_NEXT: ReadonlySet<NodeKind> = new Set(['play', 'collect', 'set', 'fetch', 'record', 'subflow']);

export const nextPresence: FlowCheck = (ctx) => {
  for (const [name, node] of nodeEntries(ctx.doc)) {
    const kind = nodeKind(node);
    if (NEEDS_NEXT.has(kind) && node.next === undefined) {
      ctx.report('next-missing', pointerOf('nodes', name, kind), `node \`${name}\` (${kind}) needs \`next\`: the node to go to once it is done`, 'key');
    }
    if (NO_NEXT.has(kind) && node.next !== undefined) {
      const why = kind === 'menu' ? 'a menu goes where the option says' : kind === 'branch' ? 'a branch goes where its case says' : kind === 'split' ? 'a split goes where its case says' : `${kind} ends the ${kind === 'return' ? 'subflow' : 'call'}`;
      ctx.report('next-not-allowed', pointerOf('nodes', name, 'next'), `node \`${name}\` (${kind}) cannot have \`next\` (\`${node.next}\`): ${why}`, 'key');
    }
  }
};
