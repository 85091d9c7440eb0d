import type { ReplayReport, ReplayResult } from './replay-records.js';

/** One line per call, the divergence spelled out below it, then a summary line. */
export function renderReplayText(report: ReplayReport): string {
  const lines: string[] = [];
  for (const r of report.results) lines.push(...resultLines(r));
  const count = (s: ReplayResult['status']): number => report.results.filter((r) => r.status === s).length;
  lines.push(`${report.results.length} call(s): ${count('same')} unchanged, ${count('diverged')} diverged, ${count('not-replayable')} not replayable`);
  return `${lines.join('\n')}\n`;
}

export function renderReplayJson(report: ReplayReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function resultLines(r: ReplayResult): string[] {
  const head = `${r.callId} (${r.flow})`;
  switch (r.status) {
    case 'same':
      return [`unchanged      ${head}${r.versionChanged ? ' — flow changed since, behaves the same' : ''}`];
    case 'not-replayable':
      return [`not replayable ${head}: ${r.reason}`];
    case 'diverged':
      return [
        `diverged       ${head} at ${r.divergence.step}`,
        `  expected: ${r.divergence.expected}`,
        `  actual:   ${r.divergence.actual}`,
      ];
  }
}
