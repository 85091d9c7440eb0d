/** Diagnostics placed in a flow's source: line and column computed here, once, from character ranges. */
import { severityOf, type FlowCode } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { locate, positionOf, type FlowSource } from './flow-source.js';

/** Which part of a map member a diagnostic points at: its key (`next:`) or its value. */
export type Part = 'key' | 'value';

/**
 * A diagnostic at a JSON pointer of a flow's source. Line and column are computed here, once,
 * from the node's character range.
 *
 * @example
 *   diagnosticAt(source, 'unknown-target', '/nodes/greet/next', 'node `greet`: ...')
 */
export function diagnosticAt(source: FlowSource, code: FlowCode, pointer: string, message: string, part: Part = 'value'): Diagnostic {
  const at = locate(source, pointer);
  const span = (part === 'key' ? at.key ?? at.value : at.value ?? at.key) ?? { start: 0, end: 0 };
  return diagnosticAtOffset(source, code, span.start, message, { pointer, end: span.end });
}

/** A diagnostic at a character offset (a YAML error, or a spot inside an expression). */
export function diagnosticAtOffset(
  source: FlowSource,
  code: FlowCode,
  offset: number,
  message: string,
  extra: { pointer?: string; end?: number } = {},
): Diagnostic {
  const start = positionOf(source, offset);
  const diagnostic: Diagnostic = { code, severity: severityOf(code), message, file: source.file, line: start.line, col: start.col };
  if (extra.end !== undefined && extra.end > offset) {
    const end = positionOf(source, extra.end);
    diagnostic.endLine = end.line;
    diagnostic.endCol = end.col;
  }
  if (extra.pointer !== undefined) diagnostic.pointer = extra.pointer;
  return diagnostic;
}

