import { buildReport, type ReportOptions } from '../report/build-report.js';
import { expandPaths } from '../report/expand-paths.js';
import type { ReportData } from '../report/report-data.js';
import { renderReportHtml } from '../report/render-html.js';
import { renderReportText } from '../report/render-text.js';
import { REPORT_OPTIONS } from '../options/command-options.js';
import { readOptions, type OptionValues } from '../options/option-schema.js';
import type { CommandResult } from './command.js';
import { UsageError } from './usage-error.js';

export type ReportCliOptions = OptionValues<typeof REPORT_OPTIONS>;

const RENDERERS: Record<ReportCliOptions['format'], (report: ReportData) => string> = {
  text: renderReportText,
  json: (report: ReportData) => `${JSON.stringify(report, null, 2)}\n`,
  html: renderReportHtml,
};

/**
 * The figures of call records (`ivr serve --records`): the command as a function returning data;
 * `run` prints it. `flags` are the options as written on the command line, read by the same
 * schema. Throws UsageError for a bad option or a file or glob that names nothing.
 *
 * @example const data = await report(['records/*.jsonl'], { flow: 'support', by: 'version' });
 */
export async function report(args: readonly string[], flags: Readonly<Record<string, unknown>> = {}): Promise<ReportData> {
  const read = readOptions(REPORT_OPTIONS, flags, {});
  if (!read.ok) throw new UsageError(read.problems.join('\n'));
  return reportOf(args, read.values);
}

async function reportOf(args: readonly string[], options: ReportCliOptions): Promise<ReportData> {
  if (args.length === 0) throw new UsageError('report needs call records: ivr report calls.jsonl');
  const reportOptions: ReportOptions = {};
  if (options.flow !== undefined) reportOptions.flow = options.flow;
  if (options.by !== undefined) reportOptions.by = options.by;
  if (options.since !== undefined) reportOptions.since = options.since;
  if (options.until !== undefined) reportOptions.until = options.until;
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
export async function run(args: readonly string[], options: ReportCliOptions): Promise<CommandResult> {
  return { exitCode: 0, stdout: RENDERERS[options.format](await reportOf(args, options)) };
}
