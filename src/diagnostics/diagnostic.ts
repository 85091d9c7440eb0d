import type { DiagnosticCode, Severity } from './codes.js';

export type { Severity } from './codes.js';

/**
 * One finding about a flow (or a flow test). Diagnostics are data: every stage returns them,
 * only programmer bugs throw. `line`/`col` are 1-based and computed when the diagnostic is made
 * from a source range (parse/source-map.ts); `pointer` is the JSON pointer of the offending value.
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  pointer?: string;
}

/** The result of a front-end stage: a value (when one could be made) and what was found. */
export interface Result<T> {
  value: T | undefined;
  diagnostics: Diagnostic[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
