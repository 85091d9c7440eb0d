import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpr, compileTemplate, ExprError, type ExprEnv } from '../../src/expr/index.js';
import { cachedEnvironments, celEnvironment } from '../../src/expr/cel-environment.js';
import { cachedExpressions } from '../../src/expr/compile-expr.js';

const env: ExprEnv = { vars: { data: 'dyn', name: 'string' }, extra: ['input', 'call', 'now', 'env'] };

/** Evaluates and returns the value, or the ExprError/compile error message. */
function outcome(source: string): unknown {
  const compiled = compileExpr(source, env);
  if (!compiled.ok) return `compile: ${compiled.error.message}`;
  try {
    return compiled.expr.evaluate({ vars: { data: { a: 1 }, name: 'x' } });
  } catch (error) {
    assert.ok(error instanceof ExprError, `${source}: expected ExprError, got ${String(error)}`);
    return `runtime: ${error.message}`;
  }
}

describe('expressions can run no code', () => {
  test('JavaScript is not CEL', () => {
    for (const source of ['process.exit(1)', 'require("fs")', 'globalThis', 'this', 'function(){}', '(() => 1)()', 'eval("1")', 'new Function("return 1")']) {
      const result = outcome(source);
      assert.equal(typeof result, 'string', source);
      assert.match(result as string, /^(compile|runtime): /, source);
    }
  });
  test('prototype properties are not map keys', () => {
    for (const source of ['data.constructor', 'data.__proto__', 'data["constructor"]["constructor"]', 'name.constructor', 'data.toString', 'call.constructor']) {
      const result = outcome(source);
      assert.match(String(result), /^(compile|runtime): /, source);
    }
  });
  test('nothing reaches the process through a template either', () => {
    let exited = false;
    const original = process.exit;
    process.exit = (() => { exited = true; }) as typeof process.exit;
    try {
      const compiled = compileTemplate('{{ process.exit(1) }}', env);
      assert.equal(compiled.ok, false);
    } finally {
      process.exit = original;
    }
    assert.equal(exited, false);
  });
  test('a huge expression is refused in plain words rather than run', () => {
    const source = Array.from({ length: 5000 }, (_, i) => String(i)).join(' + ');
    const result = compileExpr(source, env);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.message, 'syntax error: the expression is too long; split it across `set` nodes');
  });
  test('deep nesting is refused in plain words', () => {
    const result = compileExpr(`${'('.repeat(300)}1${')'.repeat(300)}`, env);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error.message, /nested too deeply/);
  });
  test('long but reasonable expressions still compile', () => {
    const source = Array.from({ length: 120 }, (_, i) => `name != "${i}"`).join(' && ');
    assert.equal(compileExpr(source, env).ok, true);
  });
});

// How fast this is, is measured by test/bench/front-end (speed is a benchmark's job, not a test's).
describe('compiling big flow sets', () => {
  test('200 flows x 50 nodes, each flow with its own variables, all compile', () => {
    for (let flow = 0; flow < 200; flow++) {
      // Every flow declares its own variables: the worst case for the environment cache.
      const flowEnv: ExprEnv = { vars: { [`v${flow}`]: 'int', account: 'string', balance: 'double' }, extra: ['input', 'call', 'now', 'env'] };
      for (let node = 0; node < 50; node++) {
        const c = compileExpr(`v${flow} + ${node} > 3 && account.size() >= 6 && balance * 2 > 1.0`, flowEnv);
        assert.ok(c.ok);
      }
    }
  });

  test('flows that each declare other variables (a served folder edited at every reload) hold a bounded number of environments, the ones used last', () => {
    const { max } = cachedEnvironments();
    // A fresh ExprEnv object each time: the lookup goes by the variables, not by the object.
    const kept = (): ExprEnv => ({ vars: { keptVar: 'int' }, extra: ['input'] });
    const first = celEnvironment(kept());
    for (let flow = 0; flow < max + 100; flow++) {
      assert.ok(compileExpr(`bound${flow} > 1`, { vars: { [`bound${flow}`]: 'int' }, extra: [] }).ok);
      assert.ok(cachedEnvironments().count <= max, `${cachedEnvironments().count} environments after ${flow + 1} flows`);
      // A flow compiled at every reload stays cached however many others come and go.
      if (flow % 100 === 0) assert.equal(celEnvironment(kept()), first, `dropped after ${flow + 1} flows`);
    }
    assert.equal(celEnvironment(kept()), first);
  });

  test('the expressions compiled against the cached environments are bounded in all, and still cached', () => {
    const { max } = cachedExpressions();
    for (let n = 0; n < max + 500; n++) {
      // Spread over environments, as the flows of many reloads are: the bound is on all of them together.
      const env: ExprEnv = { vars: { [`e${n % 7}`]: 'int' }, extra: [] };
      const compiled = compileExpr(`e${n % 7} + ${n} > 1`, env);
      assert.ok(compiled.ok);
      assert.equal(compileExpr(`e${n % 7} + ${n} > 1`, env), compiled, 'a hit: the same result');
      assert.ok(cachedExpressions().count <= max, `${cachedExpressions().count} expressions cached after ${n + 1}`);
    }
  });
});
