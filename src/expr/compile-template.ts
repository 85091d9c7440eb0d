/**
 * Templates compiled once per flow, rendered per call.
 *
 * Rendering rules (flow-language.md, Expressions and templates):
 * - a string that is exactly one `{{ expr }}` keeps the value's type (a number stays a number
 *   in a JSON body);
 * - otherwise each value is turned into text: numbers as written, `null` as "", lists and maps
 *   as JSON;
 * - in a URL (`urlEncode`), each value is URL-encoded (`a/b c` → `a%2Fb%20c`), except a value at
 *   the very start of the URL: that one is the base (`{{ billingApi }}/accounts/{{ account }}`)
 *   and is inserted as is. Encoding cannot stop `.` and `..`: a value that makes a whole path
 *   segment of dots would let `/accounts/{{ acct }}/{{ sub }}/balance` reach `/accounts/balance`
 *   (URL parsers resolve `%2e` segments too), so rendering such a URL throws (the node's onError).
 *
 * @example
 *   const t = compileTemplate('{{ api }}/accounts/{{ account }}', env);
 *   if (t.ok) t.template.render(scope, { urlEncode: true });
 */
import { compileExpr, type CompiledExpr, type ExprScope } from './compile-expr.js';
import type { ExprEnv } from './cel-environment.js';
import type { CompileError } from './messages.js';
import { mentions } from './mentions.js';
import { parseTemplate } from './parse-template.js';
import { stringify } from './values.js';

/**
 * `urlEncode`: values URL-encoded (see above). `hide`: each `{{ }}` part whose expression reads one
 * of `names` is `as`, not evaluated (how output shows a template holding a secret: compile/sensitive.ts).
 */
export interface RenderOptions {
  urlEncode?: boolean;
  hide?: { names: ReadonlySet<string>; as: string };
}

export interface CompiledTemplate {
  source: string;
  render(scope: ExprScope, opts?: RenderOptions): unknown;
}

export type TemplateError = CompileError & { offset: number };
export type CompileTemplateResult = { ok: true; template: CompiledTemplate } | { ok: false; error: TemplateError };

type Piece = { text: string } | { expr: CompiledExpr; start: number };

export function compileTemplate(text: string, env: ExprEnv): CompileTemplateResult {
  const source = String(text);
  const parsed = parseTemplate(source);
  if (!parsed.ok) return { ok: false, error: { kind: 'syntax', message: parsed.error.message, offset: parsed.error.offset } };
  const pieces: Piece[] = [];
  for (const part of parsed.parts) {
    if ('text' in part) {
      pieces.push({ text: part.text });
      continue;
    }
    const compiled = compileExpr(part.expr, env);
    if (!compiled.ok) return { ok: false, error: { ...compiled.error, offset: part.offset + (compiled.error.offset ?? 0) } };
    pieces.push({ expr: compiled.expr, start: part.offset });
  }
  const only = pieces.length === 1 && 'expr' in pieces[0]! ? pieces[0].expr : undefined;
  // Which pieces read one of `hide.names`, by names set: the sets are a flow version's (or constant), so each is asked once.
  const hiddenByNames = new WeakMap<ReadonlySet<string>, Map<CompiledExpr, boolean>>();
  const hides = (expr: CompiledExpr, names: ReadonlySet<string>): boolean => {
    let known = hiddenByNames.get(names);
    if (known === undefined) hiddenByNames.set(names, (known = new Map()));
    let answer = known.get(expr);
    if (answer === undefined) known.set(expr, (answer = mentions(expr.source, names)));
    return answer;
  };
  return {
    ok: true,
    template: {
      source,
      render(scope, opts) {
        const hidden = (expr: CompiledExpr) => opts?.hide !== undefined && hides(expr, opts.hide.names);
        if (only) return hidden(only) ? opts!.hide!.as : only.evaluate(scope);
        let out = '';
        let encoded = false;
        for (const piece of pieces) {
          if ('text' in piece) {
            out += piece.text;
            continue;
          }
          if (hidden(piece.expr)) {
            out += opts!.hide!.as;
            continue;
          }
          const value = stringify(piece.expr.evaluate(scope));
          if (opts?.urlEncode && out !== '') {
            out += encodeURIComponent(value);
            encoded = true;
          } else out += value;
        }
        if (encoded && hasDotSegment(out)) throw new Error('a value in the URL makes a `.` or `..` path segment (refused: it would move up the path)');
        return out;
      },
    },
  };
}

const ORIGIN = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** True when the URL's path has a `.` or `..` segment, written plainly or as `%2e`. */
export function hasDotSegment(url: string): boolean {
  const path = url.replace(ORIGIN, '').split(/[?#]/, 1)[0] ?? '';
  return path.split('/').some((segment) => DOT_SEGMENT.test(segment));
}

/**
 * A JSON value (fetch `body`, `headers`) whose string leaves are templates; keys are kept as
 * written. Errors carry the JSON pointer of the failing leaf.
 */
export type CompileJsonResult = { ok: true; template: CompiledTemplate } | { ok: false; error: TemplateError & { pointer: string } };

export function compileJsonTemplate(value: unknown, env: ExprEnv, pointer = ''): CompileJsonResult {
  if (typeof value === 'string') {
    const c = compileTemplate(value, env);
    return c.ok ? c : { ok: false, error: { ...c.error, pointer } };
  }
  if (Array.isArray(value)) {
    const items: CompiledTemplate[] = [];
    for (const [i, v] of value.entries()) {
      const c = compileJsonTemplate(v, env, `${pointer}/${i}`);
      if (!c.ok) return c;
      items.push(c.template);
    }
    return { ok: true, template: { source: JSON.stringify(value), render: (scope) => items.map((t) => t.render(scope)) } };
  }
  if (value !== null && typeof value === 'object') {
    const entries: [string, CompiledTemplate][] = [];
    for (const [k, v] of Object.entries(value)) {
      const c = compileJsonTemplate(v, env, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (!c.ok) return c;
      entries.push([k, c.template]);
    }
    return {
      ok: true,
      template: { source: JSON.stringify(value), render: (scope) => Object.fromEntries(entries.map(([k, t]) => [k, t.render(scope)])) },
    };
  }
  return { ok: true, template: { source: JSON.stringify(value ?? null), render: () => value } };
}
