import { relative } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { printable } from '../diagnostics/printable.js';
import { githubAnnotation } from '../diagnostics/render-github.js';
import type { Mismatch } from './check-expect.js';
import type { FlowCoverage } from './coverage.js';
import type { CaseFailure, CaseResult } from './run-case.js';
import type { TestRunResult } from './run-tests.js';
import type { TranscriptLine } from './simulated-call.js';
import type { Step } from './test-file.js';
import type { TestCode } from './test-codes.js';

/**
 * `ivr test`'s text output. The last line is always `N passed, N failed`, which CI logs and
 * people look for first. Each line is `printable`: names and values from flow and test files
 * cannot start lines of their own.
 */
export function renderText(result: TestRunResult, cwd = process.cwd()): string {
  const out: string[] = [];
  const show = (file: string) => relative(cwd, file) || file;
  for (const d of result.diagnostics) out.push(renderDiagnostic(d, show));
  for (const file of result.files) {
    out.push(`${show(file.file)} (flow ${file.flow})`);
    for (const c of file.cases) {
      out.push(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}`);
      if (c.failure) out.push(...renderFailure(show(file.file), c, c.failure).map((l) => `       ${l}`));
    }
  }
  if (result.files.length === 0 && result.diagnostics.length === 0) out.push('no *.test.yaml files found');
  if (result.coverage) out.push(...renderCoverage(result.coverage, result.minCoverage, show));
  out.push(`${result.passed} passed, ${result.failed} failed`);
  return out.map(printable).join('\n') + '\n';
}

function renderDiagnostic(d: Diagnostic, show: (f: string) => string): string {
  return `${show(d.file)}:${d.line}:${d.col}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** Where, which step, expected vs actual, and the call so far. */
export function renderFailure(file: string, c: CaseResult, failure: CaseFailure): string[] {
  return [`${file}:${failure.step.line}: ${failureHeading(c, failure)}`, ...failureDetails(c, failure)];
}

function failureHeading(c: CaseResult, failure: CaseFailure): string {
  return `case "${c.name}", step ${failure.step.index} (${describeStep(failure.step.step)})`;
}

/** The message, each expect key that did not hold, and the transcript (its last `maxTranscript` lines). */
function failureDetails(c: CaseResult, failure: CaseFailure, maxTranscript = Infinity): string[] {
  const lines: string[] = [];
  if (failure.message) lines.push(`  ${failure.message}`);
  for (const m of failure.mismatches) lines.push(...renderMismatch(m));
  const left = Math.max(0, c.transcript.length - maxTranscript);
  lines.push(left > 0 ? `  transcript (the last ${maxTranscript} of ${c.transcript.length} lines):` : '  transcript:');
  lines.push(...renderTranscript(c.transcript.slice(left)).map((l) => `    ${l}`));
  return lines;
}

function renderMismatch(m: Mismatch): string[] {
  return [`  ${m.key}:`, `    expected: ${JSON.stringify(m.expected)}`, `    actual:   ${JSON.stringify(m.actual)}`];
}

export function renderTranscript(transcript: readonly TranscriptLine[]): string[] {
  return transcript.map((t) => `${formatTime(t.at)}  ${t.text}`);
}

/** `mm:ss.mmm` of simulated time since the call started. */
function formatTime(ms: number): string {
  const m = Math.floor(ms / 60_000);
  const s = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return `${String(m).padStart(2, '0')}:${s}`;
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'press':
      return `press: "${step.keys}"`;
    case 'wait':
      return `wait: ${step.text}`;
    case 'fetchFails':
      return `fetchFails: ${step.failure}`;
    case 'expect':
      return `expect: ${JSON.stringify(step.expect)}`;
    default:
      return step.kind;
  }
}

function renderCoverage(coverage: readonly FlowCoverage[], min: number | undefined, show: (f: string) => string): string[] {
  const out = ['', 'coverage:'];
  for (const c of coverage) {
    const below = min !== undefined && c.percent < min ? `  (below --min-coverage ${min})` : '';
    out.push(`  ${c.flow} (${show(c.file)}): ${c.percent}% (${c.reached}/${c.total})${below}`);
    for (const kind of ['node', 'option', 'handler'] as const) {
      const missed = c.items.filter((i) => i.kind === kind && !i.reached).map((i) => i.label);
      if (missed.length > 0) out.push(`    ${kind}s not reached: ${missed.join(', ')}`);
    }
  }
  out.push('');
  return out;
}

/** `--format json`: the same data, without the functions' internals (traces stay out). */
export function renderJson(result: TestRunResult): string {
  return (
    JSON.stringify(
      {
        ok: result.ok,
        passed: result.passed,
        failed: result.failed,
        diagnostics: result.diagnostics,
        files: result.files.map((f) => ({
          file: f.file,
          flow: f.flow,
          cases: f.cases.map((c) => ({
            name: c.name,
            line: c.line,
            passed: c.passed,
            ms: Math.round(c.ms * 10) / 10,
            ...(c.failure
              ? {
                  failure: {
                    step: c.failure.step.index,
                    line: c.failure.step.line,
                    col: c.failure.step.col,
                    description: describeStep(c.failure.step.step),
                    message: c.failure.message,
                    mismatches: c.failure.mismatches,
                  },
                  transcript: c.transcript,
                }
              : {}),
          })),
        })),
        coverage: result.coverage?.map((c) => ({
          flow: c.flow,
          file: c.file,
          percent: c.percent,
          reached: c.reached,
          total: c.total,
          notReached: c.items.filter((i) => !i.reached).map(({ kind, node, label }) => ({ kind, node, label })),
        })),
        minCoverage: result.minCoverage,
        belowMinimum: result.belowMinimum,
      },
      null,
      2,
    ) + '\n'
  );
}

/** Transcript lines an annotation carries at most: GitHub shows an annotation's message whole. */
const ANNOTATION_TRANSCRIPT_LINES = 20;

/**
 * `--format github`: every failure as a workflow annotation on the line that failed (the step
 * of a case; line 1 of a flow below `--min-coverage`; a test file's own problems where they
 * are), through the one annotation writer `ivr validate` uses; then the `N passed, N failed` line.
 */
export function renderGithub(result: TestRunResult, cwd = process.cwd()): string {
  const annotations: Diagnostic[] = [...result.diagnostics];
  for (const file of result.files) {
    for (const c of file.cases) {
      if (!c.failure) continue;
      const { step } = c.failure;
      const message = [failureHeading(c, c.failure), ...failureDetails(c, c.failure, ANNOTATION_TRANSCRIPT_LINES)].join('\n');
      annotations.push({ code: 'test-case-failed' satisfies TestCode, severity: 'error', message, file: file.file, line: step.line, col: step.col });
    }
  }
  for (const c of result.coverage ?? []) {
    if (!result.belowMinimum.includes(c.flow)) continue;
    const missed = c.items.filter((i) => !i.reached).map((i) => i.label);
    const message = `coverage of flow ${c.flow} is ${c.percent}% (${c.reached}/${c.total}), below --min-coverage ${result.minCoverage}; not reached: ${missed.join(', ')}`;
    annotations.push({ code: 'test-coverage-below-minimum' satisfies TestCode, severity: 'error', message, file: c.file, line: 1, col: 1 });
  }
  return [...annotations.map((d) => githubAnnotation(d, cwd)), `${result.passed} passed, ${result.failed} failed`].join('\n') + '\n';
}
