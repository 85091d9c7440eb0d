import { FETCH_FIGURES as F, FLOW_FIGURES as W, INPUT_FIGURES as I, NODE_FIGURES as N, REPORT_FIGURES as R } from './definitions.js';
import { printable } from '../diagnostics/printable.js';
import type { FlowFigures, ReportData } from './report-data.js';

/**
 * The report as text tables: one block per flow (and version or day), headed by the figure
 * names of definitions.ts. Every name from the records is passed through `printable`.
 */
export function renderReportText(report: ReportData): string {
  const out = [`${R.records.name} ${report.records}, ${R.skipped.name} ${report.skipped}`];
  if (report.flows.length === 0) out.push('', 'no call records');
  for (const flow of report.flows) out.push('', ...flowBlock(flow));
  return `${out.join('\n')}\n`;
}

function flowBlock(f: FlowFigures): string[] {
  const group = f.version !== undefined ? `  version ${f.version}` : f.day !== undefined ? `  day ${f.day}` : '';
  const lines = [
    `flow ${printable(f.id)}${printable(group)}  (versions ${f.versions.map(printable).join(', ')})`,
    `  ${W.calls.name} ${f.calls}   ${W.contained.name} ${f.contained}   ${W.containment.name} ${f.containment}`,
    `  ${W.outcomes.name}: ${counts(f.outcomes)}`,
    `  ${W.durationMs.name}: p50 ${f.durationMs.p50}  p90 ${f.durationMs.p90}  p99 ${f.durationMs.p99}`,
  ];
  const nodes = Object.entries(f.nodes);
  if (nodes.length > 0) {
    lines.push('', ...table(['node', N.entries.name, N.calls.name, N.hangups.name, N.dropOff.name, N.exits.name],
      nodes.map(([name, n]) => [name, n.entries, n.calls, n.hangups, n.dropOff, counts(n.exits)])));
  }
  const inputs = Object.entries(f.inputs);
  if (inputs.length > 0) {
    lines.push('', ...table(['input', I.attempts.name, I.noInput.name, I.noMatch.name, I.failed.name, I.failureRate.name, I.matches.name],
      inputs.map(([name, i]) => [name, i.attempts, i.noInput, i.noMatch, i.failed, i.failureRate, counts(i.matches)])));
  }
  const fetches = Object.entries(f.fetches);
  if (fetches.length > 0) {
    lines.push('', ...table(['fetch', F.count.name, F.p50Ms.name, F.p95Ms.name, F.errors.name],
      fetches.map(([name, x]) => [name, x.count, x.p50Ms, x.p95Ms, counts(x.errors)])));
  }
  return lines;
}

/** `a 3, b 1` (or `-`). */
function counts(map: Record<string, number>): string {
  const entries = Object.entries(map);
  return entries.length === 0 ? '-' : entries.map(([k, n]) => `${printable(k)} ${n}`).join(', ');
}

/** Columns padded to their widest cell; numbers right-aligned, names left. */
function table(head: string[], rows: (string | number)[][]): string[] {
  const cells = [head, ...rows.map((r) => r.map((c, i) => (typeof c === 'number' ? String(c) : i === 0 ? printable(c) : c)))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r, ri) => `  ${r.map((c, i) => {
    const last = i === r.length - 1;
    if (last) return c;
    return ri > 0 && typeof rows[ri - 1]![i] === 'number' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!);
  }).join('  ')}`.trimEnd());
}
