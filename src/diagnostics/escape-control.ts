/**
 * Text from outside (a caller's ids, a backend's values, a flow file's names) made safe to print
 * on one line: control characters, DEL, the C1 controls and the Unicode line/paragraph separators
 * are written as escapes (`\n`, `\u001b`, ...), so no input can start a line of its own, forge an
 * `::error` annotation or send a terminal escape sequence to whoever reads the output. JSON
 * escapes the C0 controls itself but leaves DEL, C1 and U+2028/2029 as they are.
 *
 *   escapeControl('a\nb\u001b[31m')   // 'a\\nb\\u001b[31m'
 *   cutText('x'.repeat(5000), 1024)   // 1024 x's + '…(+3976 chars)'
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControl(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL_ALL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `text` cut to `max` characters, saying how many were left out. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(+${text.length - max} chars)`;
}
