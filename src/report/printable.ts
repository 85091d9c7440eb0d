/**
 * A name read from a records file (node, end reason, key, URL) made safe for a terminal: control
 * characters and bidirectional overrides are written as `\u{..}`, so a line cannot move the
 * cursor, recolour the terminal or reorder what is printed after it.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
