import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * A noInput/noMatch handler gives `prompt` (the same every time) or `prompts` (escalating, one per
 * failure), not both: with both, which plays on the first failure would be a guess.
 */
export const handlerPrompts: FlowCheck = (ctx) => {
  for (const [name, node] of nodeEntries(ctx.doc)) {
    const kind = 'menu' in node ? 'menu' : 'collect' in node ? 'collect' : undefined;
    if (kind === undefined) continue;
    const spec = 'menu' in node ? node.menu : 'collect' in node ? node.collect : undefined;
    for (const handler of ['noInput', 'noMatch'] as const) {
      const h = spec?.[handler];
      if (h?.prompt === undefined || h.prompts === undefined) continue;
      ctx.report(
        'prompt-and-prompts',
        pointerOf('nodes', name, kind, handler, 'prompts'),
        `node \`${name}\`: \`${handler}\` has both \`prompt\` and \`prompts\`; keep \`prompts\` (one entry per failure, the last repeats) and move the \`prompt\` into it as its first entry`,
        'key',
      );
    }
  }
};
