/**
 * Text from outside (a caller's ids, a backend's values, a flow file's names) made safe to print
 * on one line: control characters, DEL, the C1 controls, the Unicode line/paragraph separators
 * and the bidi controls (printable.ts `UNPRINTABLE`, the one list) are written as escapes (`\n`,
 * `\u001b`, `\u202e`, ...), so no input can start a line of its own, forge an `::error`
 * annotation, send a terminal escape sequence or reorder what a reader sees. JSON escapes the C0
 * controls itself but leaves the others as they are.
 *
 *   escapeControl('a\nb\u001b[31m')   // 'a\\nb\\u001b[31m'
 *   cutText('x'.repeat(5000), 1024)   // 1024 x's + '…(+3976 chars)'
 */
import { UNPRINTABLE as CONTROL, UNPRINTABLE_ALL as CONTROL_ALL } from './printable.js';

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControl(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL_ALL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `text` cut to `max` characters, saying how many were left out. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = headOf(text, max);
  return `${kept}…(+${text.length - kept.length} chars)`;
}

/**
 * `text`, or its first `max - 1` characters and `…` when longer: at most `max` characters, never
 * half a surrogate pair (report names, keys quoted in diagnostics).
 */
export function shortened(text: string, max: number): string {
  return text.length <= max ? text : `${headOf(text, max - 1)}…`;
}

/** The first `n` UTF-16 units of `text`, one fewer when the last would split a surrogate pair. */
function headOf(text: string, n: number): string {
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}
