import { DTMF_KEYS } from '../flow/dtmf-keys.js';
import { pointerOf, valueCharOffset } from '../parse/flow-source.js';
import { diagnosticAtOffset } from '../parse/diagnostic-at.js';
import type { FlowCheck } from './check-context.js';
import { nodeEntries } from './flow-walk.js';

/**
 * The literal parts of `transfer.dtmf` are DTMF keys (`*2{{ ext }}#`: `*2` and `#`). Parts from
 * templates are only known during the call; the runtime drops what is not a key and logs it.
 */
export const transferDtmf: FlowCheck = (ctx) => {
  for (const [name, node] of nodeEntries(ctx.doc)) {
    if (!('transfer' in node) || typeof node.transfer.dtmf !== 'string') continue;
    const pointer = pointerOf('nodes', name, 'transfer', 'dtmf');
    const parsed = ctx.expr.parseTemplate(node.transfer.dtmf);
    if (!parsed.ok) continue; // template-syntax, from the expressions check
    let index = 0;
    for (const part of parsed.parts) {
      if ('text' in part) {
        const bad = [...part.text].findIndex((ch) => !DTMF_KEYS.test(ch));
        if (bad >= 0) {
          const offset = valueCharOffset(ctx.source, pointer, index + bad) ?? 0;
          ctx.report.raw(
            diagnosticAtOffset(ctx.source, 'invalid-dtmf', offset, `node \`${name}\`: \`transfer.dtmf\` \`${node.transfer.dtmf}\` has \`${part.text[bad]}\`, which is not a DTMF key (0-9, *, #, A-D)`, { pointer }),
          );
        }
        index += part.text.length;
      } else {
        // Advance past `{{ expr }}`: the part's offset is where the expression starts.
        const close = node.transfer.dtmf.indexOf('}}', part.offset + part.expr.length);
        index = close < 0 ? node.transfer.dtmf.length : close + 2;
      }
    }
  }
};
