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

/**
 * The characters no text from outside may print as they are: the one list for the CLI's output
 * (here) and the log lines (escape-control.ts), which write them in JSON's `\u001b` form.
 */
// eslint-disable-next-line no-control-regex
export const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
export const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g');
