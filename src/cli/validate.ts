import { existsSync } from 'node:fs';
import { renderGithub } from '../diagnostics/render-github.js';
import { renderJson } from '../diagnostics/render-json.js';
import { renderText } from '../diagnostics/render-text.js';
import type { DiagnosticReport } from '../diagnostics/report.js';
import { countBySeverity } from '../diagnostics/report.js';
import { flowSizeDiagnostics } from '../compile/flow-size.js';
import { byPosition } from '../diagnostics/make-diagnostic.js';
import { MAX_FLOW_STATES } from '../options/serve-options.js';
import { checkFlows } from '../pipeline/check-flows.js';
import type { OptionValues } from '../options/option-schema.js';
import type { VALIDATE_OPTIONS } from '../options/command-options.js';
import type { CliIo, CommandResult } from './command.js';
import { UsageError } from './usage-error.js';

export type ValidateOptions = OptionValues<typeof VALIDATE_OPTIONS>;

const RENDERERS: Record<ValidateOptions['format'], (report: DiagnosticReport, cwd: string) => string> = { text: renderText, json: renderJson, github: renderGithub };

/**
 * `ivr validate <files or folders...>`: prints every diagnostic and a summary.
 * Exit code: 0 clean (warnings allowed unless --strict), 1 errors, 2 bad usage.
 *
 * @example ivr validate flows/ --format github --strict
 */
export async function run(args: string[], options: ValidateOptions, io: Pick<CliIo, 'cwd'> = { cwd: process.cwd() }): Promise<CommandResult> {
  if (args.length === 0) throw new UsageError('validate needs at least one flow file or folder');
  const missing = args.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);

  const report = await validatePaths(args, options.maxFlowStates);
  return { exitCode: exitCodeFor(report, options.strict === true), stdout: RENDERERS[options.format](report, io.cwd) };
}

/**
 * Loads the flows under `paths` and gathers every diagnostic, in file and position order: the
 * front end's, then (for a set with no errors) each flow too large for `ivr serve`.
 */
export async function validatePaths(paths: string[], maxFlowStates: number = MAX_FLOW_STATES.default): Promise<DiagnosticReport> {
  const { value, diagnostics } = await checkFlows(paths);
  const tooLarge = flowSizeDiagnostics(value.set, maxFlowStates);
  return { flows: value.files, diagnostics: tooLarge.length === 0 ? diagnostics : [...diagnostics, ...tooLarge].sort(byPosition) };
}

/** 1 when there are errors (or warnings, with --strict), else 0. */
export function exitCodeFor(report: DiagnosticReport, strict: boolean): number {
  const { errors, warnings } = countBySeverity(report.diagnostics);
  return errors > 0 || (strict && warnings > 0) ? 1 : 0;
}
