import { stateKey } from '../flow/state-key.js';
import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * Two node names the engine would make one state (flow/state-key.ts: `a.b` and `a_b`): the later
 * node would silently replace the earlier, and a call sent to one would run the other.
 */
export const nodeNameClash: FlowCheck = (ctx) => {
  const first = new Map<string, string>();
  for (const [name] of nodeEntries(ctx.doc)) {
    const key = stateKey(name);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, name);
    else {
      ctx.report(
        'node-name-clash',
        pointerOf('nodes', name),
        `node \`${name}\` and node \`${earlier}\` would be one node: the engine writes each \`.\` in a node name as \`_\`; rename one of them`,
        'key',
      );
    }
  }
};
