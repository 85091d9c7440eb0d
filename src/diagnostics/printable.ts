/**
 * Text from a flow file (node names, keys, values quoted in messages) is untrusted: a node name
 * with a newline could start a line of its own in `ivr validate`'s output, such as a forged
 * `::error file=…` GitHub annotation, and an escape sequence could rewrite the terminal. Every
 * line the CLI prints from such text goes through `printable`, which writes control characters
 * (C0, DEL, C1) and the Unicode line and paragraph separators as visible escapes: `\n`, `\x1b`.
 *
 * @example printable('menu\n::error file=x::y') // 'menu\\n::error file=x::y', one line
 */
export function printable(text: string): string {
  return UNPRINTABLE.test(text) ? text.replace(UNPRINTABLE_ALL, escapeOne) : text;
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}
