/**
 * The compiler's view of expressions: every CEL expression and template of a flow is compiled
 * once, here, when the flow is compiled; calls only evaluate. An expression that does not compile
 * (validate reports it; a flow with errors is normally not compiled) becomes one that fails at
 * evaluation, so the call goes to onError instead of the process crashing.
 */
import {
  compileExpr, compileTemplate, compileJsonTemplate, varTypeOf,
  type ExprEnv, type ExprScope, type RenderOptions, type VarType,
} from '../expr/index.js';
import type { LoadedFlow } from '../flow/loaded-flow.js';

export type { ExprEnv, ExprScope };

/** Something that can be evaluated against a call's scope; throws on a runtime failure. */
export interface Evaluator {
  source: string;
  evaluate(scope: ExprScope): unknown;
}

export interface Renderer {
  render(scope: ExprScope, opts?: RenderOptions): unknown;
}

/**
 * The expression environment of a flow: its declared variables and the names every node sees.
 * Variable types come from the front end (which saw `0.0` in the source), else from the values.
 */
export function flowEnv(flow: LoadedFlow, withResponse = false): ExprEnv {
  const types: Record<string, VarType> = {};
  for (const [name, value] of Object.entries(flow.doc.vars ?? {})) types[name] = flow.varTypes?.[name] ?? varTypeOf(value);
  return { vars: types, extra: withResponse ? ['input', 'call', 'now', 'env', 'language', 'response'] : ['input', 'call', 'now', 'env', 'language'] };
}

export function expression(source: string, env: ExprEnv): Evaluator {
  const compiled = compileExpr(String(source), env);
  if (compiled.ok) return compiled.expr;
  const message = `expression ${JSON.stringify(source)} does not compile: ${compiled.error.message}`;
  return { source, evaluate: () => { throw new Error(message); } };
}

export function template(text: string, env: ExprEnv): Renderer {
  const compiled = compileTemplate(String(text), env);
  if (compiled.ok) return compiled.template;
  const message = `template ${JSON.stringify(text)} does not compile: ${compiled.error.message}`;
  return { render: () => { throw new Error(message); } };
}

export function jsonTemplate(value: unknown, env: ExprEnv): Renderer {
  const compiled = compileJsonTemplate(value, env);
  if (compiled.ok) return compiled.template;
  const message = `template does not compile: ${compiled.error.message}`;
  return { render: () => { throw new Error(message); } };
}

/** A plain-words message for anything thrown while evaluating (ExprError or otherwise). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
