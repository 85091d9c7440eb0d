/**
 * Text from a flow file or a records file (node names, keys, values quoted in messages) made
 * safe to print: a node name with a newline could start a line of its own in `ivr validate`'s
 * output, such as a forged `::error file=…` GitHub annotation, and an escape sequence or a
 * bidirectional override could move the cursor, recolour the terminal or reorder what is printed
 * after it. Control characters (C0, DEL, C1), the Unicode line and paragraph separators and the
 * bidi controls are written as `\u{..}`. Every line `validate`, `test`, `graph` and `report` print
 * from such text goes through here.
 *
 * @example printable('menu\n::error file=x::y') // 'menu\\u{a}::error file=x::y', one line
 */
export function printable(text: string): string {
  return UNPRINTABLE.test(text) ? text.replace(UNPRINTABLE_ALL, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`) : text;
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_ALL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
