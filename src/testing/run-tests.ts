import { statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { LoadedFlow } from '../flow/loaded-flow.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { WatchCall } from '../call/call-events.js';
import { computeCoverage, type FlowCoverage } from './coverage.js';
import { findTestFiles, loadTestFile } from './load-tests.js';
import { errorsOf, prepareFlows, type PreparedFlows } from '../pipeline/prepare-flows.js';
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
 * session with simulated time; the flow's machine gets the canned fetch actor once per flow
 * version (canned-fetcher.ts), and each case's canned answers answer its own requests.
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

  const measure = options.coverage === true || options.minCoverage !== undefined;
  // With coverage, a folder given counts even with no test file in it: its flows are listed at 0%.
  const folders = paths.map((p) => resolve(p)).filter((p) => statSync(p, { throwIfNoEntry: false })?.isDirectory());
  const dirs = [...new Set([...testFiles.map((t) => dirname(t.file)), ...(measure ? folders : [])])];
  const front = dirs.length > 0 ? await prepareFlows(dirs) : undefined;
  const prepared = front?.value;
  const files: FileResult[] = [];
  /** Every case's trace: a case of one flow covers the subflows it runs too. */
  const traces: TraceEvent[][] = [];
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
      traces.push(result.trace);
    }
    files.push({ file: testFile.file, flow: testFile.flow, cases: results });
  }

  const result: TestRunResult = { files, diagnostics, passed, failed, belowMinimum: [], ok: false };
  if (measure && prepared) {
    const scope = coveredFlows(folders, testFiles, prepared);
    // A flow with errors cannot run, so its coverage cannot be measured: said once, with its errors.
    const tested = new Set(testFiles.map((t) => t.flow));
    const broken = scope.filter((f) => !prepared.compiled.has(f.id));
    for (const f of broken.filter((b) => !tested.has(b.id))) {
      diagnostics.push(...errorsOf(front?.diagnostics ?? [], f), {
        code: 'test-flow-has-errors' satisfies TestCode,
        severity: 'error',
        message: `flow '${f.id}' has errors (run ivr validate): its coverage cannot be measured`,
        file: f.file,
        line: 1,
        col: 1,
      });
    }
    result.coverage = scope.filter((f) => prepared.compiled.has(f.id)).map((loaded) => computeCoverage(loaded.id, loaded.file, loaded.doc, traces));
    if (options.minCoverage !== undefined) {
      result.minCoverage = options.minCoverage;
      result.belowMinimum = [...result.coverage.filter((c) => c.percent < options.minCoverage!).map((c) => c.flow), ...broken.map((f) => f.id)];
    }
  }
  result.ok = failed === 0 && !diagnostics.some((d) => d.severity === 'error') && result.belowMinimum.length === 0;
  return result;
}

/**
 * The flows coverage is reported for: the flows under test, every flow they can call as a
 * subflow (at any depth), and every flow in a folder given on the command line, so a flow no
 * case reaches is listed at 0% and counts toward `--min-coverage` instead of being left out.
 */
function coveredFlows(folders: readonly string[], testFiles: readonly TestFile[], prepared: PreparedFlows): LoadedFlow[] {
  const order: string[] = [];
  const add = (id: string) => {
    if (order.includes(id) || !prepared.loaded.has(id)) return;
    order.push(id);
    // Only a flow without errors is sure to have a `nodes` map of nodes to look into.
    const compiled = prepared.compiled.get(id);
    for (const node of Object.values(compiled?.flow.doc.nodes ?? {})) if ('subflow' in node) add(node.subflow.flow);
  };
  for (const t of testFiles) add(t.flow);
  const inFolders = [...prepared.loaded.values()].filter((f) => folders.some((dir) => f.file.startsWith(dir + sep)));
  for (const f of inFolders.sort((a, b) => a.id.localeCompare(b.id))) add(f.id);
  return order.map((id) => prepared.loaded.get(id)!);
}

function suggest(name: string, known: string[]): string {
  if (known.length === 0) return ' (no flows found in this folder)';
  const close = known.find((k) => k.startsWith(name.slice(0, 3)));
  return close ? ` — did you mean '${close}'?` : ` (flows here: ${known.join(', ')})`;
}
