/**
 * Whether a value may be stored in a declared variable (flow-language v1.1, "Typed assignments"):
 * the one rule both `validate` (from an expression's static CEL type) and the running call (from
 * the value, when the static type was `dyn`) apply.
 *
 * A variable's type comes from its initial value (var-type.ts). An int may go into a double (a
 * whole number is a number); nothing else crosses: a string variable given a number, or an int
 * given a double, is a mismatch. A `dyn` variable (initialised with `null`) takes anything.
 */
import type { VarType } from './var-type.js';

/** `ok`, `mismatch`, or `runtime` when the expression's type is only known from its value (`dyn`). */
export function assignable(variable: VarType, exprType: string): 'ok' | 'mismatch' | 'runtime' {
  if (variable === 'dyn') return 'ok';
  if (exprType === 'dyn') return 'runtime';
  if (exprType === variable || (variable === 'double' && exprType === 'int')) return 'ok';
  return 'mismatch';
}

/** Whether a plain JS value (as the machine holds it) fits a variable's type. */
export function valueFits(variable: VarType, value: unknown): boolean {
  switch (variable) {
    case 'dyn': return true;
    case 'string': return typeof value === 'string';
    case 'bool': return typeof value === 'boolean';
    case 'double': return typeof value === 'number' || typeof value === 'bigint';
    case 'int': return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
  }
}

/** A value's type in the author's words, for messages: "a string", "the number 12.5". */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the bool ${String(value)}`;
  if (value === null || value === undefined) return 'null';
  return Array.isArray(value) ? 'a list' : 'a map';
}

/** A type in the author's words: `int` -> "a whole number (int)". */
export function describeType(type: string): string {
  switch (type) {
    case 'string': return 'a string';
    case 'int': return 'a whole number (int)';
    case 'double': return 'a number (double)';
    case 'bool': return 'a bool';
    case 'null': return 'null';
    default: return type.startsWith('list') ? `a list (${type})` : type.startsWith('map') ? `a map (${type})` : type;
  }
}
