import { diagnosticAtOffset } from '../parse/diagnostic-at.js';
import type { FlowCheck } from './check-context.js';

/** A line `#: operator` or `#1: x`: a key made of DTMF keys starting with `#`, as YAML never sees it. */
const COMMENTED_KEY = /^([ \t]*)(#[0-9*#A-D]*)[ \t]*:(?:[ \t]|$)/gm;

/**
 * `#` starts a YAML comment, so an unquoted `#:` option line is a comment and the option silently
 * vanishes. Only unquoted lines shaped like a DTMF key are flagged (`# note: ...` has a space).
 */
export const commentedKey: FlowCheck = (ctx) => {
  for (const match of ctx.source.text.matchAll(COMMENTED_KEY)) {
    const key = match[2]!;
    const offset = match.index + match[1]!.length;
    const rest = ctx.source.text.slice(offset + key.length, ctx.source.text.indexOf('\n', offset) >>> 0).replace(/^[ \t]*:/, '').trim();
    ctx.report.raw(diagnosticAtOffset(
      ctx.source, 'commented-key', offset,
      `this line is a YAML comment, not the key \`${key}\`: an unquoted \`#\` starts a comment, so the option vanishes; quote the key: \`"${key}":${rest === '' ? '' : ` ${rest}`}\``,
      { end: offset + key.length },
    ));
  }
};
