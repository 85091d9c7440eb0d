/**
 * TEMPORARY stand-in for src/expr (being written in parallel) with the same API, so the compiler
 * can be built and tested now. Deleted once src/expr/index.ts lands: expressions.ts imports from
 * there instead. Minimal on purpose: no type checking, no did-you-mean.
 */
import { parse } from '@marcbachmann/cel-js';
import type { CallInfo } from './protocol.js';

export type VarType = 'int' | 'double' | 'string' | 'bool' | 'dyn';
export interface ExprEnv { vars: Record<string, VarType>; extra: ('input' | 'response' | 'call' | 'now' | 'env')[] }
export interface ExprScope {
  vars: Record<string, unknown>;
  input?: string;
  response?: { status: number; headers: Record<string, string>; body: unknown };
  call?: CallInfo;
  now?: Date;
  env?: Record<string, string>;
}
export interface CompiledExpr { source: string; evaluate(scope: ExprScope): unknown }
export interface CompiledTemplate { render(scope: ExprScope, opts?: { urlEncode?: boolean }): unknown }
type Failure = { ok: false; error: { kind: 'syntax' | 'undeclared' | 'type'; message: string; offset?: number } };

export class ExprError extends Error {}

export function varTypeOf(value: unknown): VarType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  return 'dyn';
}

const toCel = (v: unknown): unknown => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v);
const fromCel = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

export function compileExpr(source: string, _env: ExprEnv): { ok: true; expr: CompiledExpr } | Failure {
  let fn: (ctx: Record<string, unknown>) => unknown;
  try {
    fn = parse(source) as unknown as (ctx: Record<string, unknown>) => unknown;
  } catch (e) {
    return { ok: false, error: { kind: 'syntax', message: (e as Error).message.split('\n')[0] ?? 'syntax error' } };
  }
  return {
    ok: true,
    expr: {
      source,
      evaluate(scope) {
        const ctx: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(scope.vars)) ctx[k] = toCel(v);
        for (const k of ['input', 'response', 'call', 'now', 'env'] as const) if (scope[k] !== undefined) ctx[k] = scope[k];
        try {
          return fromCel(fn(ctx));
        } catch (e) {
          throw new ExprError((e as Error).message.split('\n')[0] ?? 'evaluation failed');
        }
      },
    },
  };
}

export function compileTemplate(text: string, env: ExprEnv): { ok: true; template: CompiledTemplate } | Failure {
  const parts: ({ text: string } | { expr: CompiledExpr })[] = [];
  const re = /\{\{(.*?)\}\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    const c = compileExpr(m[1]!.trim(), env);
    if (!c.ok) return c;
    parts.push({ expr: c.expr });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return {
    ok: true,
    template: {
      render(scope, opts) {
        const only = parts.length === 1 ? parts[0] : undefined;
        if (only && 'expr' in only) return only.expr.evaluate(scope);
        return parts.map((p) => {
          if ('text' in p) return p.text;
          const s = String(p.expr.evaluate(scope));
          return opts?.urlEncode ? encodeURIComponent(s) : s;
        }).join('');
      },
    },
  };
}

export function compileJsonTemplate(value: unknown, env: ExprEnv): { ok: true; template: CompiledTemplate } | Failure {
  if (typeof value === 'string') return compileTemplate(value, env);
  if (Array.isArray(value)) {
    const items: CompiledTemplate[] = [];
    for (const v of value) { const c = compileJsonTemplate(v, env); if (!c.ok) return c; items.push(c.template); }
    return { ok: true, template: { render: (s) => items.map((t) => t.render(s)) } };
  }
  if (value !== null && typeof value === 'object') {
    const entries: [string, CompiledTemplate][] = [];
    for (const [k, v] of Object.entries(value)) { const c = compileJsonTemplate(v, env); if (!c.ok) return c; entries.push([k, c.template]); }
    return { ok: true, template: { render: (s) => Object.fromEntries(entries.map(([k, t]) => [k, t.render(s)])) } };
  }
  return { ok: true, template: { render: () => value } };
}
