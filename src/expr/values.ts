/**
 * Values crossing into and out of CEL. Flows and the runtime hold plain JS values (numbers,
 * strings, booleans, arrays, objects from JSON); CEL needs its int type as bigint. Results come
 * back as plain JS again, so nothing outside src/expr ever sees a bigint.
 */
import type { VarType } from './var-type.js';
import { ExprError } from './expr-error.js';

/** A declared variable's value as CEL expects its declared type. */
export function varToCel(name: string, type: VarType, value: unknown): unknown {
  if (type === 'int') {
    if (typeof value === 'bigint') return value;
    if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
    throw new ExprError(`variable "${name}" is a whole number (int) but holds ${describe(value)}`);
  }
  if (type === 'double') {
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    throw new ExprError(`variable "${name}" is a number (double) but holds ${describe(value)}`);
  }
  if (type === 'dyn') return dynToCel(value);
  return value;
}

/**
 * An untyped value (a `null`-initialised variable, a JSON body): numbers stay doubles, as CEL
 * reads JSON; `undefined` becomes null.
 */
export function dynToCel(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(dynToCel);
  return value;
}

/** A CEL result as a plain JS value. */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(fromCel(k))] = fromCel(v);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromCel(v);
    return out;
  }
  // CEL's own wrappers (uint, duration): their plain value if they have one.
  const inner = (value as { value?: unknown }).value;
  if (typeof inner === 'number' || typeof inner === 'bigint') return Number(inner);
  return String(value);
}

/** How a value reads inside a string: numbers as written, lists and maps as JSON, null as "". */
export function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a map';
  return String(value);
}
