import { dirname } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { WatchCall } from '../call/call-events.js';
import { computeCoverage, type FlowCoverage } from './coverage.js';
import { findTestFiles, loadTestFile } from './load-tests.js';
import { errorsOf, prepareFlows } from '../pipeline/prepare-flows.js';
import { runCase, type CaseResult } from './run-case.js';
import type { TraceEvent } from './simulated-call.js';
import type { TestCode } from './test-codes.js';
import type { TestFile } from './test-file.js';

export interface RunTestsOptions {
  /** Compute what no case reached, per flow. */
  coverage?: boolean;
  /** Fail the run when a tested flow's coverage is below this percentage (implies coverage). */
  minCoverage?: number;
  /** Watchers of every case's call as under `ivr serve` (e.g. call records). */
  watchers?: readonly WatchCall[];
}

export interface FileResult {
  file: string;
  flow: string;
  cases: CaseResult[];
}

/** Everything `ivr test` found: data for the renderers; the exit code is decided from `ok`. */
export interface TestRunResult {
  files: FileResult[];
  /** Test files that could not be read or run, and errors of the flows under test. */
  diagnostics: Diagnostic[];
  passed: number;
  failed: number;
  coverage?: FlowCoverage[];
  minCoverage?: number;
  /** Flows whose coverage is below `minCoverage`. */
  belowMinimum: string[];
  ok: boolean;
}

/**
 * Runs every `*.test.yaml` under `paths` against the flows beside it, each case a real call
 * session with simulated time.
 *
 * @example
 *   const result = await runTests(['flows/'], { coverage: true });
 *   console.log(`${result.passed} passed, ${result.failed} failed`);
 */
export async function runTests(paths: readonly string[], options: RunTestsOptions = {}): Promise<TestRunResult> {
  const diagnostics: Diagnostic[] = [];
  const testFiles: TestFile[] = [];
  for (const file of await findTestFiles(paths)) {
    const loaded = await loadTestFile(file);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.value) testFiles.push(loaded.value);
  }

  const dirs = [...new Set(testFiles.map((t) => dirname(t.file)))];
  const front = dirs.length > 0 ? await prepareFlows(dirs) : undefined;
  const prepared = front?.value;
  const files: FileResult[] = [];
  const traces = new Map<string, TraceEvent[][]>();
  const reportedFlows = new Set<string>();
  let passed = 0;
  let failed = 0;

  for (const testFile of testFiles) {
    const loaded = prepared?.loaded.get(testFile.flow);
    const compiled = prepared?.compiled.get(testFile.flow);
    if (!prepared || !loaded || !compiled) {
      if (loaded && prepared && !reportedFlows.has(loaded.id)) {
        reportedFlows.add(loaded.id);
        diagnostics.push(...errorsOf(front?.diagnostics ?? [], loaded));
      }
      diagnostics.push({
        code: (loaded ? 'test-flow-has-errors' : 'test-unknown-flow') satisfies TestCode,
        severity: 'error',
        message: loaded
          ? `flow '${testFile.flow}' has errors (run ivr validate): its ${testFile.cases.length} case(s) did not run`
          : `no flow '${testFile.flow}' beside this test file${suggest(testFile.flow, [...(prepared?.loaded.keys() ?? [])])}`,
        file: testFile.file,
        line: 1,
        col: 1,
      });
      failed += testFile.cases.length;
      continue;
    }
    const results: CaseResult[] = [];
    for (const c of testFile.cases) {
      const watch = options.watchers ? { watchers: options.watchers } : {};
      const result = await runCase(c, compiled, prepared.prompts, watch);
      results.push(result);
      if (result.passed) passed++;
      else failed++;
      const list = traces.get(testFile.flow) ?? [];
      list.push(result.trace);
      traces.set(testFile.flow, list);
    }
    files.push({ file: testFile.file, flow: testFile.flow, cases: results });
  }

  const result: TestRunResult = { files, diagnostics, passed, failed, belowMinimum: [], ok: false };
  if ((options.coverage || options.minCoverage !== undefined) && prepared) {
    result.coverage = [...traces.entries()].map(([flow, list]) => {
      const loaded = prepared.loaded.get(flow)!;
      return computeCoverage(flow, loaded.file, loaded.doc, list);
    });
    if (options.minCoverage !== undefined) {
      result.minCoverage = options.minCoverage;
      result.belowMinimum = result.coverage.filter((c) => c.percent < options.minCoverage!).map((c) => c.flow);
    }
  }
  result.ok = failed === 0 && !diagnostics.some((d) => d.severity === 'error') && result.belowMinimum.length === 0;
  return result;
}

function suggest(name: string, known: string[]): string {
  if (known.length === 0) return ' (no flows found in this folder)';
  const close = known.find((k) => k.startsWith(name.slice(0, 3)));
  return close ? ` — did you mean '${close}'?` : ` (flows here: ${known.join(', ')})`;
}
