import { SUBFLOW_SEPARATOR, stateKey } from '../flow/state-key.js';
import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * Node names the engine could not keep apart. A `/` names the nodes of a subflow (`<subflow
 * node>/<node>`, in state ids and in what watchers see), so a node `sub/x` would be the node `x`
 * of the flow that node `sub` calls. Two names that differ only in `.` against `_` are one state
 * (flow/state-key.ts). Either way one node silently replaced the other, and a call sent to one ran
 * the other.
 */
export const nodeNameClash: FlowCheck = (ctx) => {
  const first = new Map<string, string>();
  for (const [name] of nodeEntries(ctx.doc)) {
    if (name.includes(SUBFLOW_SEPARATOR)) {
      ctx.report('node-name-clash', pointerOf('nodes', name), `node \`${name}\`: a node name cannot hold \`${SUBFLOW_SEPARATOR}\`, which names the nodes of a subflow (\`<subflow node>${SUBFLOW_SEPARATOR}<node>\`); rename it`, 'key');
      continue;
    }
    const key = stateKey(name);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, name);
    else {
      ctx.report(
        'node-name-clash',
        pointerOf('nodes', name),
        `node \`${name}\` and node \`${earlier}\` would be one node (names may not differ only in \`.\` against \`_\`); rename one of them`,
        'key',
      );
    }
  }
};
