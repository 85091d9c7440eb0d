/**
 * A variable's CEL type, taken from its initial value in `vars:` (flow-language.md).
 * YAML reads `0` and `0.0` as the same JS number, so the source text decides when it is known:
 * the author who wrote `balance: 0.0` means a double, `count: 0` an int.
 */
export type VarType = 'int' | 'double' | 'string' | 'bool' | 'dyn';

/**
 * @example varTypeOf(0, '0.0') // 'double'
 * @example varTypeOf(0)        // 'int'
 * @example varTypeOf(null)     // 'dyn'
 */
export function varTypeOf(value: unknown, sourceText?: string): VarType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') {
    if (sourceText !== undefined) return /^[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|\d+)$/.test(sourceText.trim()) ? 'int' : 'double';
    return Number.isInteger(value) ? 'int' : 'double';
  }
  return 'dyn';
}
