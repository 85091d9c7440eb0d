import { buildReport, type ReportOptions } from '../report/build-report.js';
import { expandPaths } from '../report/expand-paths.js';
import type { GroupBy, ReportData } from '../report/report-data.js';
import { renderReportHtml } from '../report/render-html.js';
import { renderReportText } from '../report/render-text.js';
import type { CommandResult } from './command.js';
import { UsageError } from './usage-error.js';

export interface ReportCliOptions {
  flow?: string;
  since?: string;
  until?: string;
  by?: string;
  format?: string;
}

const RENDERERS = {
  text: renderReportText,
  json: (report: ReportData) => `${JSON.stringify(report, null, 2)}\n`,
  html: renderReportHtml,
} as const;

/**
 * The figures of call records (`ivr serve --records`): the command as a function returning data;
 * `run` prints it. Throws UsageError for a bad option or a file or glob that names nothing.
 *
 * @example const data = await report(['records/*.jsonl'], { flow: 'support', by: 'version' });
 */
export async function report(args: readonly string[], options: ReportCliOptions = {}): Promise<ReportData> {
  if (args.length === 0) throw new UsageError('report needs call records: ivr report calls.jsonl');
  const by = options.by;
  if (by !== undefined && by !== 'version' && by !== 'day') throw new UsageError(`--by must be version or day, not \`${by}\``);
  const reportOptions: ReportOptions = {};
  if (options.flow !== undefined) reportOptions.flow = options.flow;
  if (by !== undefined) reportOptions.by = by as GroupBy;
  if (options.since !== undefined) reportOptions.since = parseTime('--since', options.since);
  if (options.until !== undefined) reportOptions.until = parseTime('--until', options.until);
  const { files, unmatched } = await expandPaths(args);
  if (unmatched.length > 0) throw new UsageError(`no call records file matches ${unmatched.join(', ')}`);
  return buildReport(files, reportOptions);
}

/**
 * `ivr report <files or globs...> [--flow id] [--since t] [--until t] [--by version|day]
 * [--format text|json|html]`. Exit code: 0 reported (skipped lines are reported, not failures),
 * 2 usage.
 *
 * @example ivr report 'records/*.jsonl' --flow support --format html > report.html
 */
export async function run(args: readonly string[], options: ReportCliOptions = {}): Promise<CommandResult> {
  const format = options.format ?? 'text';
  if (!(format in RENDERERS)) throw new UsageError(`--format must be text, json or html, not \`${format}\``);
  const data = await report(args, options);
  return { exitCode: 0, stdout: RENDERERS[format as keyof typeof RENDERERS](data) };
}

/** `2026-12-01` (UTC midnight) or any ISO 8601 time, as epoch ms. */
function parseTime(flag: string, text: string): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} must be a date (2026-12-01) or an ISO 8601 time, not \`${text}\``);
  return ms;
}
