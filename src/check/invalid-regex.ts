import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/** `collect.pattern` and `menu.match[].pattern` compile as regular expressions (the runtime uses JS RegExp). */
export const invalidRegex: FlowCheck = (ctx) => {
  const check = (node: string, pattern: string | undefined, ...path: (string | number)[]): void => {
    if (pattern === undefined) return;
    try {
      new RegExp(pattern);
    } catch (err) {
      const why = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
      ctx.report('invalid-regex', pointerOf('nodes', node, ...path), `node \`${node}\`: pattern \`${pattern}\` is not a valid regular expression: ${why}`);
    }
  };
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if ('collect' in node) check(name, node.collect.pattern, 'collect', 'pattern');
    if ('menu' in node) (node.menu.match ?? []).forEach((rule, i) => check(name, rule.pattern, 'menu', 'match', i, 'pattern'));
  }
};
