import { printable } from '../diagnostics/printable.js';

/**
 * Text from a records file for HTML or SVG, as text or an attribute value: the five characters
 * markup gives meaning to are written as entities (and control characters as `\u{..}`), so a
 * node called `<script>` is shown, never run.
 */
export function esc(text: string | number): string {
  return printable(String(text)).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
