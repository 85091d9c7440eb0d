import type { Diagnostic } from './diagnostic.js';

/** What `ivr validate` found: the data every renderer prints. */
export interface DiagnosticReport {
  /** Number of flows checked. */
  flows: number;
  diagnostics: Diagnostic[];
}

export interface Counts {
  errors: number;
  warnings: number;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Counts {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

/** "2 errors, 1 warning in 3 flows" */
export function summaryLine(report: DiagnosticReport): string {
  const { errors, warnings } = countBySeverity(report.diagnostics);
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(report.flows, 'flow')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
