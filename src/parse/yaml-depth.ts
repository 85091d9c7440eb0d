import type { CST } from 'yaml';

/**
 * The first place where YAML's nesting of maps and lists goes deeper than `maxDepth`, found on
 * the parser's tokens before anything is built from them: yaml's composer, `toJS`, the schema
 * and the checks all recurse once per level, so a 3,000-deep file would overflow the stack.
 * The walk keeps its own stack, so no file can make it recurse.
 */
export function tooDeepAt(tokens: readonly CST.Token[], maxDepth: number): number | undefined {
  const stack: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    switch (token.type) {
      case 'document':
        if (token.value) stack.push({ token: token.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (depth + 1 > maxDepth) return token.offset;
        for (const item of token.items) {
          if ('key' in item && item.key) stack.push({ token: item.key, depth: depth + 1 });
          if (item.value) stack.push({ token: item.value, depth: depth + 1 });
        }
        break;
      }
      case 'block-scalar':
        for (const prop of token.props) stack.push({ token: prop, depth });
        break;
      default:
        break;
    }
  }
  return undefined;
}
