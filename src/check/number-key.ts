import { isMap, isScalar } from 'yaml';
import { locate, pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * An unquoted option or global key that YAML reads as a number: `007:` is the number 7, so the
 * author's option 007 silently becomes option 7 (and `1.0:` becomes 1). Keys spelled exactly as
 * their number (`1:`) mean what they say and pass.
 */
export const numberKey: FlowCheck = (ctx) => {
  const maps: { pointer: string; node: string | undefined; what: string }[] = [{ pointer: pointerOf('global'), node: undefined, what: 'global key' }];
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if ('menu' in node) maps.push({ pointer: pointerOf('nodes', name, 'menu', 'options'), node: name, what: 'option key' });
  }
  for (const { pointer, node, what } of maps) {
    const at = locate(ctx.source, pointer);
    if (!at.exact || !isMap(at.node)) continue;
    for (const pair of at.node.items) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value !== 'number' || !key.range) continue;
      const written = ctx.source.text.slice(key.range[0], key.range[1]);
      const read = String(key.value);
      if (written === read) continue;
      ctx.report(
        'number-key',
        `${pointer}/${read}`,
        `${node === undefined ? '' : `node \`${node}\`: `}${what} \`${written}\` is read by YAML as the number ${read}, so it means \`${read}\`; quote it to keep the keys as typed: \`"${written}":\``,
        'key',
      );
    }
  }
};
