/**
 * CEL environments, one per distinct set of declared variables, built once and cached: a flow
 * set of thousands of expressions shares a handful of environments (most flows declare the same
 * few variable shapes), and parsing against a ready environment is cheap. The cache keeps the
 * `MAX_CACHED` environments used last (~3.7 KB each, so ~8 MB at most; the expressions compiled
 * against them are bounded on their own, compile-expr.ts): a served folder whose
 * files change their variables at every reload would otherwise grow it for as long as the server
 * runs, and a set of a thousand flows (about two environments each) still finds them all at the
 * next reload.
 *
 * The base environment adds what a flow author expects from arithmetic on the phone: CEL keeps
 * int and double apart (`balance * 2` is an error when `balance` is `0.0`), which no one writing a
 * menu anticipates, so mixed int/double arithmetic and equality work and yield a double, and a
 * string may be joined with a number (`"ext " + ext`).
 */
import { Environment } from '@marcbachmann/cel-js';
import { LINEAR_MATCHES } from './cel-ast.js';
import { installBudget } from './cel-budget.js';
import { compileRegex } from './linear-regex.js';
import type { VarType } from './var-type.js';

/** Names the flow language puts in scope besides the declared variables. */
export type ExtraName = 'input' | 'response' | 'call' | 'now' | 'env' | 'language';

export interface ExprEnv {
  vars: Record<string, VarType>;
  extra: ExtraName[];
}

export const EXTRA_TYPES: Record<ExtraName, string> = {
  input: 'string',
  response: 'map<string, dyn>',
  call: 'map<string, dyn>',
  now: 'google.protobuf.Timestamp',
  env: 'map<string, string>',
  /** The call's language (flow-language.md v1.1, "Per-call language"). */
  language: 'string',
};

export const EXPR_LIMITS = { maxAstNodes: 1000, maxDepth: 50, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 16 };

type Num = number | bigint;
const arithmetic: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

function buildBase(): Environment {
  // Limits far above any phone menu's needs, low enough that no expression can exhaust the
  // stack while being checked (a chain of 5000 `+` would, with cel-js's defaults).
  const base = new Environment({ homogeneousAggregateLiterals: false, limits: EXPR_LIMITS });
  for (const [op, fn] of Object.entries(arithmetic)) {
    base.registerOperator(`int ${op} double: double`, (a: Num, b: Num) => fn(Number(a), Number(b)));
    base.registerOperator(`double ${op} int: double`, (a: Num, b: Num) => fn(Number(a), Number(b)));
  }
  // CEL already orders int against double (<, <=, >, >=); equality it leaves to the caller.
  // (cel-js registers `==` both ways round, and `!=` as its negation.)
  base.registerOperator('int == double', (a: Num, b: Num) => Number(a) === Number(b));
  for (const t of ['int', 'double']) {
    base.registerOperator(`string + ${t}: string`, (a: string, b: Num) => a + String(b));
    base.registerOperator(`${t} + string: string`, (a: Num, b: string) => String(a) + b);
  }
  // CEL `matches` on RE2 (linear time); compile-expr renames every `matches` call to it (cel-ast.ts).
  base.registerFunction(`string.${LINEAR_MATCHES}(string): bool`, function (this: unknown, text: string, pattern: string) {
    installBudget(this as Parameters<typeof installBudget>[0]);
    const compiled = compileRegex(pattern);
    if (!compiled.ok) throw new Error(`matches: ${compiled.code === 'invalid-regex' ? 'invalid regular expression' : 'a regular expression RE2 cannot run'} ${JSON.stringify(pattern)}: ${compiled.why}`);
    return compiled.regex.test(text);
  });
  // One evaluation hands us cel-js's evaluator (a function's `this`), whose `run` gets the step budget (cel-budget.ts).
  base.evaluate(`''.${LINEAR_MATCHES}('')`, {});
  return base;
}

let base: Environment | undefined;
const cache = new Map<string, Environment>();
const MAX_CACHED = 2048;
// Callers usually pass the same ExprEnv object for every expression of a flow: skip the key.
const byObject = new WeakMap<ExprEnv, Environment>();

/** The cached CEL environment declaring exactly `env`'s names. */
export function celEnvironment(env: ExprEnv): Environment {
  const known = byObject.get(env);
  if (known) return known;
  const key = cacheKey(env);
  let found = cache.get(key);
  if (found) {
    // Used last: to the end of the Map's order, the last to be dropped.
    cache.delete(key);
    cache.set(key, found);
    byObject.set(env, found);
    return found;
  }
  base ??= buildBase();
  found = base.clone();
  for (const [name, type] of Object.entries(env.vars)) {
    if (name in EXTRA_TYPES && env.extra.includes(name as ExtraName)) continue;
    // A name CEL cannot declare (a reserved word, `a-b`) stays undeclared: using it is then
    // reported as an undeclared name, which is where validate points the author anyway.
    try {
      found.registerVariable(name, type);
    } catch {
      continue;
    }
  }
  for (const name of new Set(env.extra)) found.registerVariable(name, EXTRA_TYPES[name]);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, found);
  byObject.set(env, found);
  return found;
}

/** How many environments the cache holds now, and its bound (tests: it stays bounded). */
export const cachedEnvironments = (): { count: number; max: number } => ({ count: cache.size, max: MAX_CACHED });

function cacheKey(env: ExprEnv): string {
  const vars = Object.keys(env.vars).sort().map((k) => `${k}:${env.vars[k]}`);
  return `${vars.join(',')}|${[...new Set(env.extra)].sort().join(',')}`;
}
