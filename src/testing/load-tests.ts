import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { readFlowFile, realFolder } from '../parse/read-flow-file.js';
import type { MediaFormat } from '../audio/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseDuration } from '../flow/duration.js';
import type { TestCode } from './test-codes.js';
import { validateTestDoc } from './test-schema.js';
import type { CaseSetupDoc, PositionedStep, Step, StepDoc, TestCase, TestCaseDoc, TestFile, TestFileDoc } from './test-file.js';
import { parseStartAt } from './start-time.js';
import { locate, positionOf, readSource, type FlowSource } from '../parse/flow-source.js';
import { yamlProblems } from '../parse/parse-flow.js';

export const TEST_FILE_SUFFIX = '.test.yaml';

/** Every `*.test.yaml` under the given files and folders (folders recursively), sorted. */
export async function findTestFiles(paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const path of paths) {
    const abs = resolve(path);
    const info = await stat(abs);
    if (info.isDirectory()) {
      for (const entry of await readdir(abs, { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && entry.name.endsWith(TEST_FILE_SUFFIX)) found.add(join(entry.parentPath, entry.name));
      }
    } else if (!abs.endsWith(TEST_FILE_SUFFIX) && /\.ya?ml$/.test(abs)) {
      // `ivr test flows/support.yaml` means the tests of that flow.
      found.add(abs.replace(/\.ya?ml$/, TEST_FILE_SUFFIX));
    } else {
      found.add(abs);
    }
  }
  return [...found].sort();
}

/**
 * Reads one test file: YAML with positions, then the schema, then the steps turned into data
 * with their lines. Problems are diagnostics with `file:line:col`; the value is undefined when
 * the file cannot be run.
 */
export async function loadTestFile(file: string): Promise<{ value: TestFile | undefined; diagnostics: Diagnostic[] }> {
  // Test files sit in the flows folder and are as untrusted as flows: the same reading rules.
  const read = readFlowFile(file, realFolder(dirname(file)));
  if (!read.ok) {
    const reason = read.code === 'file-unreadable' && !existsSync(file) ? 'no such test file' : `cannot read the test file: ${read.message.replace(/^cannot read the flow file: /, '')}`;
    return { value: undefined, diagnostics: [{ code: 'test-file-unreadable' satisfies TestCode, severity: 'error', message: reason, file, line: 1, col: 1 }] };
  }
  return parseTestFile(file, read.text);
}

export function parseTestFile(file: string, text: string): { value: TestFile | undefined; diagnostics: Diagnostic[] } {
  const src = readSource(file, text);
  // The YAML rules of every file in the flows folder (parse-flow.ts), under the test file's one code.
  const diagnostics: Diagnostic[] = yamlProblems(src, text).map((problem) => ({
    code: 'test-yaml-syntax' satisfies TestCode, severity: 'error', message: problem.message, file, ...positionOf(src, problem.offset),
  }));
  if (diagnostics.length > 0) return { value: undefined, diagnostics };

  const data: unknown = src.data;
  for (const problem of validateTestDoc(data)) {
    const { line, col } = positionAt(src, problem.pointer, problem.key);
    diagnostics.push({ code: 'test-schema' satisfies TestCode, severity: 'error', message: problem.message, file, line, col, pointer: problem.pointer });
  }
  if (diagnostics.length > 0) return { value: undefined, diagnostics };

  const doc = data as TestFileDoc;
  const starts = new Map<string, number>();
  const atPlaces: Array<[string, CaseSetupDoc | undefined]> = [['/defaults', doc.defaults], ...doc.cases.map((c, i): [string, CaseSetupDoc] => [`/cases/${i}`, c])];
  for (const [pointer, setup] of atPlaces) {
    const at = setup?.start?.at;
    if (at === undefined) continue;
    const parsed = parseStartAt(at);
    if ('ms' in parsed) starts.set(at, parsed.ms);
    else diagnostics.push({ code: 'test-start-at' satisfies TestCode, severity: 'error', message: parsed.error, file, ...positionAt(src, `${pointer}/start/at`), pointer: `${pointer}/start/at` });
  }
  if (diagnostics.length > 0) return { value: undefined, diagnostics };

  const cases = doc.cases.map((c, i) => toCase(src, withDefaults(c, doc.defaults), `/cases/${i}`, starts));
  const flow = doc.flow ?? basename(file).slice(0, -TEST_FILE_SUFFIX.length);
  return { value: { file, flow, cases }, diagnostics };
}

/**
 * A case with the file's `defaults` filled in: the case's own keys win; maps (`start.headers`,
 * `vars`, `fetch`) are merged, the case's entries first.
 */
export function withDefaults(c: TestCaseDoc, defaults: CaseSetupDoc | undefined): TestCaseDoc {
  if (!defaults) return c;
  const merged: TestCaseDoc = { ...c };
  const vars = mergeMaps(c.vars, defaults.vars);
  const fetch = mergeMaps(c.fetch, defaults.fetch);
  if (vars) merged.vars = vars;
  if (fetch) merged.fetch = fetch;
  if (c.start || defaults.start) {
    const start = { ...defaults.start, ...c.start };
    const headers = mergeMaps(c.start?.headers, defaults.start?.headers);
    if (headers) start.headers = headers;
    merged.start = start;
  }
  return merged;
}

/** `own`'s entries, then those of `fallback` that `own` does not have; undefined when neither is given. */
function mergeMaps<T>(own: Record<string, T> | undefined, fallback: Record<string, T> | undefined): Record<string, T> | undefined {
  if (!own || !fallback) return own ?? fallback;
  // fromEntries defines own properties: a key like `__proto__` from a file stays a key.
  return Object.fromEntries([...Object.entries(own), ...Object.entries(fallback).filter(([key]) => !Object.hasOwn(own, key))]);
}

function toCase(src: FlowSource, c: TestCaseDoc, pointer: string, starts: ReadonlyMap<string, number>): TestCase {
  const steps: PositionedStep[] = c.steps.map((s, i) => ({
    step: toStep(s),
    index: i + 1,
    ...positionAt(src, `${pointer}/steps/${i}`),
  }));
  return {
    name: c.name,
    line: positionAt(src, pointer).line,
    headers: c.start?.headers ?? {},
    format: c.start?.format ?? ('audio/x-mulaw;rate=8000' as MediaFormat),
    startAt: c.start?.at === undefined ? undefined : starts.get(c.start.at),
    callId: c.start?.callId,
    vars: c.vars ?? {},
    fetch: c.fetch ?? {},
    steps,
  };
}

/** The schema has already admitted `doc`, so every shape here is one it allows. */
function toStep(doc: StepDoc): Step {
  if (doc === 'played' || (typeof doc === 'object' && 'played' in doc)) return { kind: 'played' };
  if (doc === 'hangup' || (typeof doc === 'object' && 'hangup' in doc)) return { kind: 'hangup' };
  if ('press' in doc) return { kind: 'press', keys: doc.press };
  if ('wait' in doc) return { kind: 'wait', ms: parseDuration(doc.wait) ?? 0, text: String(doc.wait) };
  if ('fetchFails' in doc) return { kind: 'fetchFails', failure: doc.fetchFails };
  return { kind: 'expect', expect: doc.expect };
}

/** Line and column of the value at `pointer`, or of its key `key` (for an unknown key). */
function positionAt(src: FlowSource, pointer: string, key?: string): { line: number; col: number } {
  const at = locate(src, key === undefined ? pointer : `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  const span = key === undefined ? at.value : (at.key ?? at.value);
  return positionOf(src, span?.start ?? 0);
}
