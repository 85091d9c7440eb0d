/**
 * `{{ <CEL> }}` templates inside strings (`url`, `headers`, `body` values, `dtmf`).
 * The scanner skips CEL string literals, so `{{ "}}" + x }}` is one expression.
 *
 * @example parseTemplate('*2{{ ext }}#') // parts: [{text:'*2'}, {expr:'ext', offset:5}, {text:'#'}]
 */
export type TemplatePart = { text: string } | { expr: string; offset: number };

export type ParseTemplateResult =
  | { ok: true; parts: TemplatePart[] }
  | { ok: false; error: { message: string; offset: number } };

export function parseTemplate(text: string): ParseTemplateResult {
  const parts: TemplatePart[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    if (open > pos) parts.push({ text: text.slice(pos, open) });
    const close = findClose(text, open + 2);
    if (close < 0) return { ok: false, error: { message: 'template "{{" is never closed with "}}"', offset: open } };
    const raw = text.slice(open + 2, close);
    const lead = raw.length - raw.trimStart().length;
    const expr = raw.trim();
    if (expr === '') return { ok: false, error: { message: 'empty template "{{ }}": put an expression inside', offset: open } };
    parts.push({ expr, offset: open + 2 + lead });
    pos = close + 2;
  }
  if (pos < text.length) parts.push({ text: text.slice(pos) });
  return { ok: true, parts };
}

/**
 * Index of the `}}` closing a template whose expression starts at `from`, or -1. Braces of CEL
 * map literals are counted, so `{{ {"a": {"b": 1}}.a.b }}` closes at the last `}}`.
 */
function findClose(text: string, from: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}
