/**
 * A variable's value written as text (`ivr serve --var support.billingApi=http://billing:8080`),
 * read as the type its declaration gives it (src/expr/var-type.ts), so a deployment cannot hand a
 * flow a string where it declared a number.
 *
 * @example varFromText('int', '42')        // { value: 42 }
 * @example varFromText('double', 'abc')    // { expected: 'a number (double)' }
 * @example varFromText('string', '42')     // { value: '42' }
 */
import type { VarType } from './var-type.js';

/** The value, or what the text should have been (never the text itself: it may be a secret). */
export type VarFromText = { value: unknown } | { expected: string };

export function varFromText(type: VarType, text: string): VarFromText {
  switch (type) {
    case 'string':
    case 'dyn':
      return { value: text };
    case 'bool':
      return text === 'true' || text === 'false' ? { value: text === 'true' } : { expected: 'true or false (bool)' };
    case 'int': {
      const n = /^[-+]?\d+$/.test(text) ? Number(text) : NaN;
      return Number.isSafeInteger(n) ? { value: n } : { expected: 'a whole number (int)' };
    }
    case 'double': {
      const n = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : NaN;
      return Number.isFinite(n) ? { value: n } : { expected: 'a number (double)' };
    }
  }
}
