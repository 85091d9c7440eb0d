import { didYouMean } from '../diagnostics/did-you-mean.js';
import { diagnosticAtOffset } from '../parse/diagnostic-at.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { valueCharOffset } from '../parse/flow-source.js';
import type { FlowSource } from '../parse/flow-source.js';
import type { VarType } from '../parse/var-types.js';
import { describePlace } from '../schema/describe-place.js';
import type { FlowCheck } from './check-context.js';
import type { ExprEnv } from '../expr/index.js';
import type { ExprApi } from './expr-api.js';
import { exprRefs } from './flow-walk.js';
import type { ContextName, ExprRef } from './flow-walk.js';

/** Where each context name exists, for "`input` is not available here" messages. */
const WHERE: Record<ContextName, string> = {
  input: 'only in menu and collect: option and match `set`, and `collect.valid`',
  response: 'only in `fetch.set`',
  call: 'everywhere',
  now: 'everywhere',
  env: 'everywhere',
  language: 'everywhere',
};

/** Every CEL expression and `{{ }}` template parses and uses only names in scope. */
export const expressions: FlowCheck = (ctx) => {
  for (const ref of exprRefs(ctx.doc)) {
    for (const found of checkExprRef(ctx.source, ctx.expr, ctx.varTypes, ref)) ctx.report.found(found.code, found.make);
  }
};

/**
 * Diagnostics for one expression or template (also used for subflow outputs, over the child's
 * vars), each given as a function making it: those past the file's limit of their code are never
 * made (an undeclared name's "did you mean" compares it with every variable's).
 */
export function checkExprRef(source: FlowSource, expr: ExprApi, vars: Record<string, VarType>, ref: ExprRef): { code: string; make: () => Diagnostic }[] {
  const out: { code: string; make: () => Diagnostic }[] = [];
  const at = (index: number): number => valueCharOffset(source, ref.pointer, index) ?? 0;
  // Only messages use it: most expressions are fine.
  const place = (): string => describePlace(ref.pointer);
  const pieces: { text: string; offset: number }[] = [];
  if (ref.form === 'expr') pieces.push({ text: ref.text, offset: 0 });
  else {
    const parsed = expr.parseTemplate(ref.text);
    if (!parsed.ok) {
      const error = parsed.error;
      out.push({ code: 'template-syntax', make: () => diagnosticAtOffset(source, 'template-syntax', at(error.offset ?? 0), `${place()}: ${error.message} in \`${ref.text}\``, { pointer: ref.pointer }) });
      return out;
    }
    for (const part of parsed.parts) if ('expr' in part) pieces.push({ text: part.expr, offset: part.offset });
  }
  for (const piece of pieces) {
    const compiled = expr.compileExpr(piece.text, envOf(vars, ref.extra));
    if (compiled.ok) continue;
    const error = compiled.error;
    const { kind, offset, name } = error;
    const where = (): number => at(piece.offset + (offset ?? 0));
    const quoted = `\`${piece.text.trim()}\``;
    if (kind === 'undeclared' && name !== undefined && name in WHERE) {
      const root = name as ContextName;
      const context = piece.text.trim() === name ? '' : ` in ${quoted}`;
      out.push({ code: 'name-out-of-scope', make: () => diagnosticAtOffset(source, 'name-out-of-scope', where(), `${place()}: \`${name}\` is not available here (${WHERE[root]})${context}`, { pointer: ref.pointer }) });
    } else if (kind === 'undeclared') {
      const shown = name ?? error.message;
      const context = piece.text.trim() === shown ? '' : ` in ${quoted}`;
      out.push({
        code: 'undeclared-variable',
        make: () => diagnosticAtOffset(source, 'undeclared-variable', where(), `${place()}: \`${shown}\` is not a declared variable${context}${didYouMean(shown, Object.keys(vars)) || '; declare it under `vars:`'}`, { pointer: ref.pointer }),
      });
    } else {
      const code = kind === 'syntax' ? 'expr-syntax' : kind === 'cost' ? 'expr-too-costly' : kind === 'type' ? 'expr-type' : kind;
      out.push({ code, make: () => diagnosticAtOffset(source, code, where(), `${place()}: ${error.message} in ${quoted}`, { pointer: ref.pointer }) });
    }
  }
  return out;
}

/*
 * One env object per (vars, extra) pair: the expression module keys its CEL environments by the
 * env object first, and otherwise rebuilds a sorted key from the names for every expression.
 * The refs share their `extra` arrays (flow-walk's constants), so this is a handful per flow.
 */
const envs = new WeakMap<Record<string, VarType>, Map<readonly ContextName[], ExprEnv>>();

function envOf(vars: Record<string, VarType>, extra: ContextName[]): ExprEnv {
  let byExtra = envs.get(vars);
  if (byExtra === undefined) envs.set(vars, (byExtra = new Map()));
  let env = byExtra.get(extra);
  if (env === undefined) byExtra.set(extra, (env = { vars, extra }));
  return env;
}
