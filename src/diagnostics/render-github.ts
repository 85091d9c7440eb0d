import type { Diagnostic } from './diagnostic.js';
import { printable } from './printable.js';
import { summaryLine } from './report.js';
import type { DiagnosticReport } from './report.js';
import { displayPath } from './render-text.js';

/**
 * GitHub Actions workflow commands, so diagnostics show up as annotations on the pull request:
 * `::error file=flows/a.yaml,line=3,col=7,title=unknown-target::message`. Data is escaped as
 * the runner requires (%, CR, LF; plus `,` and `:` in properties); `printable` then makes every
 * other control character visible.
 */
export function renderGithub(report: DiagnosticReport, cwd: string): string {
  const lines = report.diagnostics.map((d) => githubAnnotation(d, cwd));
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

/**
 * One diagnostic as one workflow command line; `ivr validate` and `ivr test --format github`
 * both print through it.
 *
 * @example githubAnnotation({ code: 'test-case-failed', severity: 'error', message: '50% done', file, line: 3, col: 7 }, cwd)
 *   // ::error file=flows/a.test.yaml,line=3,col=7,title=test-case-failed::50%25 done
 */
export function githubAnnotation(d: Diagnostic, cwd: string): string {
  const props = [
    `file=${escapeProperty(displayPath(d.file, cwd))}`,
    `line=${d.line}`,
    `col=${d.col}`,
    ...(d.endLine !== undefined ? [`endLine=${d.endLine}`] : []),
    ...(d.endCol !== undefined && d.endLine === d.line ? [`endColumn=${d.endCol}`] : []),
    `title=${escapeProperty(d.code)}`,
  ];
  return `::${d.severity} ${props.join(',')}::${escapeData(d.message)}`;
}

function escapeData(s: string): string {
  return printable(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
