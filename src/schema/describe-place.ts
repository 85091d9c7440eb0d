import { pointerSegments } from '../parse/flow-source.js';

/**
 * A JSON pointer in the author's words: `/nodes/main_menu/menu/options/1` ->
 * "node `main_menu`: `menu.options.1`". Messages start with it so the reader knows where to look.
 */
export function describePlace(pointer: string): string {
  const segments = pointerSegments(pointer);
  if (segments[0] === 'nodes' && segments.length >= 2) {
    const rest = keyPath(segments.slice(2));
    return rest === '' ? `node \`${segments[1]}\`` : `node \`${segments[1]}\`: \`${rest}\``;
  }
  return segments.length === 0 ? 'the flow' : `\`${keyPath(segments)}\``;
}

/** `menu.options.1`, `branch[2].if`. */
export function keyPath(segments: readonly string[]): string {
  let out = '';
  for (const s of segments) out += /^\d+$/.test(s) && out !== '' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** A value quoted for a message: strings in backticks, other values as JSON. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return `\`${value}\``;
  const json = JSON.stringify(value);
  return `\`${json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json}\``;
}
