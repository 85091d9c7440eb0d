import { relative } from 'node:path';
import { printable } from './printable.js';
import type { Diagnostic } from './diagnostic.js';
import { summaryLine } from './report.js';
import type { DiagnosticReport } from './report.js';

/**
 * `path:line:col: severity CODE message`, one per line (the format editors and terminals link),
 * then the summary. Paths are relative to `cwd`. Path and message are `printable`: a node name
 * with a newline stays on its diagnostic's line.
 */
export function renderText(report: DiagnosticReport, cwd: string): string {
  const lines = report.diagnostics.map((d) => formatDiagnostic(d, cwd));
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

export function formatDiagnostic(d: Diagnostic, cwd: string): string {
  return `${printable(displayPath(d.file, cwd))}:${d.line}:${d.col}: ${d.severity} ${d.code} ${printable(d.message)}`;
}

/** A file path as the user typed it: relative to the working directory when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}
