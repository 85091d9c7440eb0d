/**
 * One-off rendering of a JSON value with templates in its string leaves, for callers that have
 * no compile step (tests, tools). The compiler uses compileJsonTemplate once per flow instead.
 */
import type { ExprEnv, ExtraName } from './cel-environment.js';
import type { ExprScope } from './compile-expr.js';
import { compileJsonTemplate } from './compile-template.js';
import { ExprError } from './expr-error.js';
import { varTypeOf } from './var-type.js';

export function renderDeep(value: unknown, scope: ExprScope): unknown {
  const vars: ExprEnv['vars'] = {};
  for (const [name, v] of Object.entries(scope.vars)) vars[name] = varTypeOf(v);
  const extra = (['input', 'response', 'call', 'now', 'env'] as ExtraName[]).filter((n) => n === 'now' || scope[n] !== undefined);
  const compiled = compileJsonTemplate(value, { vars, extra });
  if (!compiled.ok) throw new ExprError(compiled.error.message);
  return compiled.template.render(scope);
}
