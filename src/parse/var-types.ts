import { varTypeOf } from '../expr/index.js';
import type { VarType } from '../expr/index.js';
import type { FlowDoc } from '../flow/types.js';
import { pointerOf, scalarSource } from './flow-source.js';
import type { FlowSource } from './flow-source.js';

export type { VarType };

/**
 * Each declared variable's initial value with its exact source text: YAML reads `0.0` and `0`
 * as the same number, but the author meant a double and an int.
 */
export function varSources(source: FlowSource, doc: FlowDoc): Map<string, { value: unknown; sourceText: string | undefined }> {
  const out = new Map<string, { value: unknown; sourceText: string | undefined }>();
  for (const [name, value] of Object.entries(doc.vars ?? {})) {
    out.set(name, { value, sourceText: scalarSource(source, pointerOf('vars', name)) });
  }
  return out;
}

/**
 * Every declared variable's CEL type from its initial value: `""` string, `0` int, `0.0` double,
 * `true` bool, `null` dyn.
 *
 * @example varTypes(source, doc) // { account: 'string', balance: 'double', count: 'int' }
 */
export function varTypes(source: FlowSource, doc: FlowDoc): Record<string, VarType> {
  const types: Record<string, VarType> = {};
  for (const [name, { value, sourceText }] of varSources(source, doc)) types[name] = varTypeOf(value, sourceText);
  return types;
}
