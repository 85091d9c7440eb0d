/**
 * Assignments compiled once per flow version, each knowing its variable's declared type and
 * where it is written: `validate` checks what static types tell (check/type-mismatch.ts); a value
 * whose type only the call knows (`response.body.x`) is checked here when it is assigned, and a
 * mismatch is a runtime error naming the node and key (flow-language v1.1, "Typed assignments").
 */
import { describeType, describeValue, ExprError, valueFits, type VarType } from '../expr/index.js';
import type { Assignments } from '../flow/types.js';
import { pointerOf } from '../parse/flow-source.js';
import { describePlace } from '../schema/describe-place.js';
import { expression, type ExprEnv } from './expressions.js';
import type { Assignment } from './parts.js';

/**
 * @param env       what the expressions see
 * @param types     the declared types of the variables assigned (the child's for subflow input)
 * @param path      where the assignments are written (`nodes`, `lookup`, `fetch`, `set`)
 */
export function compileAssignments(set: Assignments | undefined, env: ExprEnv, types: Record<string, VarType>, ...path: (string | number)[]): Assignment[] {
  return Object.entries(set ?? {}).map(([name, source]) => ({
    name,
    expr: expression(source, env),
    type: types[name] ?? 'dyn',
    // Only an error message reads it: worded then, not for every assignment of every flow compiled.
    get where() {
      return describePlace(pointerOf(...path, name));
    },
  }));
}

/** The value, if it fits the assignment's variable; else an ExprError naming the node and key. */
export function checked(a: Assignment, value: unknown): unknown {
  if (valueFits(a.type, value)) return value;
  throw new ExprError(`${a.where}: \`${a.name}\` is ${describeType(a.type)} variable, but the value is ${describeValue(value)}`, a.expr.source);
}
