import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticAt } from '../parse/diagnostic-at.js';
import { assignable, describeType } from '../expr/index.js';
import type { ExprEnv } from '../expr/index.js';
import type { FlowSource } from '../parse/flow-source.js';
import type { VarType } from '../parse/var-types.js';
import { describePlace } from '../schema/describe-place.js';
import { pointerOf } from '../parse/flow-source.js';
import type { FlowCheck } from './check-context.js';
import type { ExprApi } from './expr-api.js';
import { exprRefs, nodeEntries } from './flow-walk.js';

/** What a forgotten pair of string quotes leaves: a bare name or number (`balance`, `200`, `a.b`). */
const BARE_WORD = /^(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|[-+]?[0-9]+(?:\.[0-9]+)?)$/;

/** One assignment to check: `text` (CEL over `env`) stored in a variable of type `variable`. */
export interface TypedAssignment {
  pointer: string;
  name: string;
  variable: VarType;
  text: string;
  env: ExprEnv;
}

/**
 * The `type-mismatch` diagnostic for an assignment whose expression's static type cannot go into
 * its variable, at the value; undefined when it fits, when only the value will tell (`dyn`: checked
 * when assigned), or when the expression does not compile (the expressions check reports that).
 */
export function assignmentMismatch(source: FlowSource, expr: ExprApi, a: TypedAssignment): Diagnostic | undefined {
  const compiled = expr.compileExpr(a.text, a.env);
  if (!compiled.ok || assignable(a.variable, compiled.expr.type) !== 'mismatch') return undefined;
  const shown = a.text.trim();
  const hint = a.variable === 'string' && BARE_WORD.test(shown) ? `; did you mean \`'${shown}'\`? (a string in CEL is quoted)` : '';
  return diagnosticAt(source, 'type-mismatch', a.pointer,
    `${describePlace(a.pointer)}: \`${a.name}\` is ${describeType(a.variable)} variable, but \`${shown}\` is ${describeType(compiled.expr.type)}${hint}`);
}

/**
 * Every assignment in the flow (`set` nodes, option/match/branch/global `set`, `fetch.set`) fits
 * its variable's declared type, as far as the expression's static type tells; so do `collect.into`
 * and `record.into`, which store strings. Subflow input/output are checked with the flow set.
 */
export const typeMismatch: FlowCheck = (ctx) => {
  for (const ref of exprRefs(ctx.doc)) {
    if (ref.assigns === undefined) continue;
    const variable = ctx.varTypes[ref.assigns];
    if (variable === undefined) continue; // undeclared-assignment
    const env = { vars: ctx.varTypes, extra: ref.extra };
    const d = assignmentMismatch(ctx.source, ctx.expr, { pointer: ref.pointer, name: ref.assigns, variable, text: ref.text, env });
    if (d) ctx.report.raw(d);
  }
  for (const [name, node] of nodeEntries(ctx.doc)) {
    const into = 'collect' in node ? { kind: 'collect', name: node.collect.into, what: 'the digits, a string' }
      : 'record' in node && node.record?.into !== undefined ? { kind: 'record', name: node.record.into, what: "the recording's path, a string" } : undefined;
    const variable = into === undefined ? undefined : ctx.varTypes[into.name];
    if (into === undefined || variable === undefined || variable === 'string' || variable === 'dyn') continue;
    ctx.report('type-mismatch', pointerOf('nodes', name, into.kind, 'into'),
      `node \`${name}\`: \`${into.kind}.into\` stores ${into.what}, but \`${into.name}\` is ${describeType(variable)} variable; declare it with a string (\`${into.name}: ""\`)`);
  }
};
