import { countBySeverity } from './report.js';
import type { DiagnosticReport } from './report.js';
import { displayPath } from './render-text.js';

/** Machine-readable output: `{ flows, errors, warnings, diagnostics: [...] }`, paths relative to `cwd`. */
export function renderJson(report: DiagnosticReport, cwd: string): string {
  const diagnostics = report.diagnostics.map((d) => ({ ...d, file: displayPath(d.file, cwd) }));
  return `${JSON.stringify({ flows: report.flows, ...countBySeverity(report.diagnostics), diagnostics }, null, 2)}\n`;
}
