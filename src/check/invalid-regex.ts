import { compileRegex } from '../expr/linear-regex.js';
import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * `collect.pattern` and `menu.match[].pattern` compile on RE2, as at run time (linear-regex.ts):
 * `invalid-regex` when not a regular expression, `regex-unsupported` when RE2 cannot run it.
 */
export const invalidRegex: FlowCheck = (ctx) => {
  const check = (node: string, pattern: string | undefined, ...path: (string | number)[]): void => {
    if (pattern === undefined) return;
    const compiled = compileRegex(pattern);
    if (compiled.ok) return;
    const what = compiled.code === 'invalid-regex' ? 'is not a valid regular expression' : 'cannot run in linear time';
    ctx.report(compiled.code, pointerOf('nodes', node, ...path), `node \`${node}\`: pattern \`${pattern}\` ${what}: ${compiled.why}`);
  };
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if ('collect' in node) check(name, node.collect.pattern, 'collect', 'pattern');
    if ('menu' in node) (node.menu.match ?? []).forEach((rule, i) => check(name, rule.pattern, 'menu', 'match', i, 'pattern'));
  }
};
