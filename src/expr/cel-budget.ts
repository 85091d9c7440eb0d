/**
 * A cost budget for every CEL evaluation. cel-js bounds what it parses (`limits`: AST nodes,
 * depth, literal sizes; see EXPR_LIMITS) but has no bound on evaluation: five nested `.map` over
 * 100-element lists pass its limits and then build 10^10 elements. So each evaluation gets a
 * number of steps: every expression node evaluated costs one, plus one per 16 elements of each
 * list or map it produces (once per list) and per KiB of each string, which bounds time and
 * memory together.
 * An evaluation that runs out fails as a run-time error (→ the node's `onError`); validate
 * estimates the same cost statically (see `staticCost`) and flags what it can see.
 *
 * The steps are counted in cel-js's one evaluation entry point, `Evaluator.run` (every node is
 * evaluated through it, comprehension steps included). cel-js exports neither the class nor a
 * hook, so `installBudget` wraps the method on the prototype of the evaluator it is handed; the
 * expression tests fail if a cel-js update moves it.
 */
import { ExprError } from './expr-error.js';

export const EXPR_BUDGET = {
  /** Steps per evaluation: ~10-50 for a phone menu's expressions; 100,000 takes ~10-30 ms. */
  maxSteps: 100_000,
} as const;

/** Steps left in the evaluation running now; Infinity outside `withBudget`. */
let remaining = Number.POSITIVE_INFINITY;

class BudgetExceeded extends ExprError {}

/** Runs one evaluation with a fresh budget; throws ExprError when it ran out. */
export function withBudget<T>(source: string, evaluate: () => T, steps: number = EXPR_BUDGET.maxSteps): T {
  const outer = remaining;
  remaining = steps;
  try {
    const value = evaluate();
    // cel-js absorbs errors inside `||`/`&&` (CEL's commutative error rules): a spent budget is still spent.
    if (remaining < 0) throw exceeded(source, steps);
    return value;
  } catch (error) {
    if (remaining < 0) throw exceeded(source, steps);
    throw error;
  } finally {
    remaining = outer;
  }
}

function exceeded(source: string, steps: number): BudgetExceeded {
  return new BudgetExceeded(`the expression ${JSON.stringify(source)} needs more than ${steps} evaluation steps (nested map/filter/exists over long lists?); it was stopped`, source);
}

interface EvaluatorLike {
  run(ast: unknown, ctx: unknown): unknown;
}

const installed = new WeakSet<object>();

/** Wraps `run` of the evaluator's prototype with the step count (once per prototype). */
export function installBudget(evaluator: EvaluatorLike): void {
  const proto = Object.getPrototypeOf(evaluator) as EvaluatorLike | null;
  if (proto === null || typeof proto.run !== 'function') throw new Error('cel-js evaluator has no run method: the CEL budget cannot be installed');
  if (installed.has(proto)) return;
  installed.add(proto);
  const run = proto.run;
  // An own property on the evaluator's prototype: the type checker, which shares cel-js's base class, is untouched.
  Object.defineProperty(proto, 'run', {
    configurable: true,
    writable: true,
    value: function budgetedRun(this: EvaluatorLike, ast: unknown, ctx: unknown): unknown {
      if (remaining === Number.POSITIVE_INFINITY) return run.call(this, ast, ctx);
      if (--remaining < 0) throw new BudgetExceeded('evaluation budget spent');
      const value = run.call(this, ast, ctx);
      remaining -= sizeCost(value);
      if (remaining < 0) throw new BudgetExceeded('evaluation budget spent');
      return value;
    },
  });
}

/**
 * Lists and maps are charged once, when first seen: a comprehension hands back its growing
 * accumulator at every step, which would otherwise be charged again and again.
 */
const charged = new WeakSet<object>();

function sizeCost(value: unknown): number {
  if (typeof value === 'string') return value.length >> 10;
  if (!Array.isArray(value) && !(value instanceof Map)) return 0;
  if (charged.has(value)) return 0;
  charged.add(value);
  return (Array.isArray(value) ? value.length : value.size) >> 4;
}
