import { severityOf } from './codes.js';
import type { FlowCode } from './codes.js';
import type { Diagnostic } from './diagnostic.js';

/** A diagnostic about a whole file (it could not be read): line 1, column 1. */
export function fileDiagnostic(file: string, code: FlowCode, message: string): Diagnostic {
  return { code, severity: severityOf(code), message, file, line: 1, col: 1 };
}

/** Sorts diagnostics by file, line, column: the order a reader expects. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code);
}
