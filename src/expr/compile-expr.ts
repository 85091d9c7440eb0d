/**
 * CEL expressions: parsed and type-checked once against the flow's declared variables, then
 * evaluated per call. CEL is a closed language (no loops, no I/O, no property access beyond map
 * keys), which is why flows use it rather than JavaScript: an expression can run no code.
 *
 * @example
 *   const c = compileExpr('balance * 2', { vars: { balance: 'double' }, extra: [] });
 *   if (c.ok) c.expr.evaluate({ vars: { balance: 12.5 } }); // 25
 */
import type { CallInfo } from '../flow/call-info.js';
import { ASSUMED_LIST_LENGTH, staticCost, useLinearMatches } from './cel-ast.js';
import { EXPR_BUDGET, withBudget } from './cel-budget.js';
import { celEnvironment, type ExprEnv } from './cel-environment.js';
import { ExprError } from './expr-error.js';
import { compileErrorOf, runtimeMessage, type CompileError } from './messages.js';
import { dynToCel, fromCel, varToCel } from './values.js';
import type { VarType } from './var-type.js';

/** What an expression can see during a call; names absent here are absent in CEL. */
export interface ExprScope {
  vars: Record<string, unknown>;
  /** The keys of the current menu/collect. */
  input?: string;
  /** Inside a fetch node's `set`. */
  response?: { status: number; headers: Record<string, string>; body: unknown };
  call?: CallInfo;
  /** Default: the real time when the expression runs. */
  now?: Date;
  /** Allow-listed environment variables only. */
  env?: Record<string, string>;
  /** The call's language. */
  language?: string;
}

export interface CompiledExpr {
  source: string;
  /** The static CEL type (`string`, `int`, `double`, `bool`, `dyn`, `list<int>`...): `dyn` when only the value will tell. */
  type: string;
  /** The value as plain JS (ints as numbers); throws ExprError on a runtime failure. */
  evaluate(scope: ExprScope): unknown;
}

export type CompileResult = { ok: true; expr: CompiledExpr } | { ok: false; error: CompileError };

type CelFunction = (context: Record<string, unknown>) => unknown;

/**
 * Results per CEL environment and source text: flow sets repeat the same expressions
 * (`attempts + 1`, `input`) across nodes and flows, and a compiled expression holds no state.
 * At most `MAX_CACHED_RESULTS` in all environments together (~3.3 KB each, ~33 MB at most): the
 * environments outlive a load (cel-environment.ts keeps the 2048 used last), so a served folder
 * whose files change their variables at every reload would otherwise keep every old flow's
 * expressions. Counted since the last clear, whole, as linear-regex.ts's pattern cache is.
 */
let results = new WeakMap<object, Map<string, CompileResult>>();
let cachedResults = 0;
const MAX_CACHED_RESULTS = 10_000;

export function compileExpr(source: string, env: ExprEnv): CompileResult {
  const text = String(source);
  const cel = celEnvironment(env);
  let cached = results.get(cel);
  const hit = cached?.get(text);
  if (hit) return hit;
  const result = compileUncached(text, env, cel);
  if (cachedResults >= MAX_CACHED_RESULTS) {
    results = new WeakMap();
    cachedResults = 0;
    cached = undefined;
  }
  if (!cached) results.set(cel, (cached = new Map()));
  cached.set(text, result);
  cachedResults++;
  return result;
}

/** How many compiled expressions are cached now, and the bound (tests: it holds). */
export const cachedExpressions = (): { count: number; max: number } => ({ count: cachedResults, max: MAX_CACHED_RESULTS });

function compileUncached(text: string, env: ExprEnv, cel: ReturnType<typeof celEnvironment>): CompileResult {
  if (text.trim() === '') return { ok: false, error: { kind: 'syntax', message: 'syntax error: the expression is empty', offset: 0 } };
  let fn: CelFunction;
  let type: string;
  try {
    const parsed = cel.parse(text);
    const regex = useLinearMatches(parsed.ast);
    if (regex !== undefined) {
      const what = regex.code === 'invalid-regex' ? 'is not a valid regular expression' : 'cannot run in linear time';
      return { ok: false, error: { kind: regex.code, message: `pattern \`${regex.pattern}\` ${what}: ${regex.why}`, ...(regex.offset !== undefined ? { offset: regex.offset } : {}) } };
    }
    const cost = staticCost(parsed.ast);
    if (cost > EXPR_BUDGET.maxSteps) {
      const message = `this expression could take about ${cost.toExponential(1)} evaluation steps with lists of ${ASSUMED_LIST_LENGTH} (the budget is ${EXPR_BUDGET.maxSteps}): avoid nesting map/filter/exists over lists`;
      return { ok: false, error: { kind: 'cost', message } };
    }
    const checked = parsed.check();
    if (!checked.valid) return { ok: false, error: compileErrorOf(checked.error, text, env) };
    type = checked.type ?? 'dyn';
    fn = parsed as unknown as CelFunction;
  } catch (error) {
    return { ok: false, error: compileErrorOf(error, text, env) };
  }
  const varTypes = env.vars;
  const extra = new Set(env.extra);
  return {
    ok: true,
    expr: {
      source: text,
      type,
      evaluate(scope) {
        const context = celContext(scope, varTypes, extra, text);
        let value: unknown;
        try {
          value = fromCel(withBudget(text, () => fn(context)));
        } catch (error) {
          if (error instanceof ExprError) throw error;
          throw new ExprError(runtimeMessage(error, text), text);
        }
        // CEL gives Infinity/NaN for `x / 0.0`; no prompt or variable can use that.
        if (typeof value === 'number' && !Number.isFinite(value)) {
          throw new ExprError(`the result of ${JSON.stringify(text)} is not a finite number (a division by zero?)`, text);
        }
        return value;
      },
    },
  };
}

function celContext(scope: ExprScope, varTypes: Record<string, VarType>, extra: Set<string>, source: string): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(varTypes)) {
    if (!(name in scope.vars)) continue;
    try {
      context[name] = varToCel(name, type, scope.vars[name]);
    } catch (error) {
      throw new ExprError(`${(error as Error).message} (expression ${JSON.stringify(source)})`, source);
    }
  }
  if (extra.has('input')) context.input = scope.input ?? '';
  if (extra.has('response') && scope.response) context.response = dynToCel(scope.response);
  if (extra.has('call') && scope.call) context.call = callMap(scope.call);
  if (extra.has('now')) context.now = scope.now ?? new Date();
  if (extra.has('env')) context.env = scope.env ?? {};
  if (extra.has('language')) context.language = scope.language ?? '';
  return context;
}

/** `from`/`to` only when Plivo sent them, so `has(call.from)` tells. */
function callMap(call: CallInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { callId: call.callId, streamId: call.streamId, accountId: call.accountId, headers: call.headers };
  if (call.from !== undefined) out.from = call.from;
  if (call.to !== undefined) out.to = call.to;
  return out;
}
