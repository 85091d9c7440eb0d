import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { exprApi } from '../check/expr-api.js';
import { checkFlowSet } from '../check/flow-set.js';
import type { SetMember } from '../check/flow-set.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { byPosition, fileDiagnostic } from '../diagnostics/make-diagnostic.js';
import { diagnosticAt } from '../parse/diagnostic-at.js';
import { pointerOf } from '../parse/flow-source.js';
import { forgetWalks, nodeEntries } from '../check/flow-walk.js';
import { readAndAnalyseFlow } from './analyse-flow.js';
import type { AnalysedFlow, LoadShared } from './analyse-flow.js';
import type { FlowSet, LoadedFlow } from '../flow/loaded-flow.js';

/**
 * Loads every flow under the given files and folders (folders recursively: `*.yaml` and `*.yml`
 * except `*.test.yaml` flow tests), through parse -> schema -> checks, then the rules about the
 * whole set (subflows, duplicate ids). A subflow named but not given is looked for beside its
 * caller as `<id>.yaml` and loaded too, so validating one file checks what it calls.
 *
 * Flows with errors are still in the set, with their diagnostics, so the CLI can report them:
 * callers that run flows must skip those with `hasErrors(flow.diagnostics)` (their `doc` may be
 * partial or empty). A path that does not exist is a `file-unreadable` diagnostic in
 * `set.diagnostics`; the CLI checks paths first and treats that as a usage error.
 *
 * @example
 *   const set = await loadFlows(['flows/']);
 *   for (const flow of set.flows.values()) if (!hasErrors(flow.diagnostics)) serve(flow);
 */
export async function loadFlows(paths: string[]): Promise<FlowSet> {
  return (await loadFlowSet(paths)).set;
}

/** `loadFlows`, also saying how many flow files were read (for "in N flows"). */
export async function loadFlowSet(paths: string[]): Promise<{ set: FlowSet; files: number }> {
  const shared: LoadShared = { expr: await exprApi(), probeCache: new Map(), resolveCache: new Map(), audioBytes: new Map(), folders: new Map() };
  const set: FlowSet = { flows: new Map(), diagnostics: [] };
  const analysed: AnalysedFlow[] = [];
  const seenFiles = new Set<string>();

  // The flows folder each file belongs to: a file is read only from inside it, and a subflow is looked for there.
  const roots = new Map<AnalysedFlow, string>();
  const load = (file: string, root: string): void => {
    if (seenFiles.has(file)) return;
    seenFiles.add(file);
    const result = readAndAnalyseFlow(file, root, shared);
    if ('refused' in result) set.diagnostics.push(result.refused);
    else {
      analysed.push(result);
      roots.set(result, root);
    }
  };
  for (const path of paths) {
    const absolute = resolve(path);
    const files = flowFilesUnder(absolute);
    if (files === undefined) set.diagnostics.push(fileDiagnostic(absolute, 'file-unreadable', `\`${path}\` does not exist`));
    else {
      const root = files.length === 1 && files[0] === absolute ? dirname(absolute) : absolute;
      for (const file of files) load(file, root);
    }
  }
  loadCalledSubflows(analysed, (a) => roots.get(a)!, load);

  const members: SetMember[] = [];
  for (const a of analysed) {
    const first = set.flows.get(a.flow.id);
    if (first !== undefined) {
      a.flow.diagnostics.push(duplicateId(a, first));
      set.diagnostics.push(...a.flow.diagnostics);
      continue;
    }
    set.flows.set(a.flow.id, a.flow);
    if (a.member) members.push(a.member);
  }
  checkFlowSet(members, new Set(set.flows.keys()), shared.expr);
  for (const a of analysed) forgetWalks(a.flow.doc);
  for (const flow of set.flows.values()) flow.diagnostics.sort(byPosition);
  set.diagnostics.sort(byPosition);
  return { set, files: seenFiles.size };
}

/**
 * The flow files a path stands for: itself if a file (unless a `*.test.yaml`), the flow files below it if a folder
 * (sorted, so output is stable), undefined if it does not exist. A broken symlink is listed (it
 * is reported as unreadable), hidden folders and node_modules are skipped.
 */
export function flowFilesUnder(path: string): string[] | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return undefined;
  }
  // Flow tests are never flows, even named explicitly (`ivr validate flows/*.yaml` matches them).
  if (!isDir) return /\.test\.ya?ml$/.test(path) ? [] : [path];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') walk(full);
      } else if (isFlowFileName(entry.name)) out.push(full);
    }
  };
  walk(path);
  return out;
}

export function isFlowFileName(name: string): boolean {
  return /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name);
}

/**
 * Loads `<caller dir>/<id>.yaml` for subflows not among the flows given, until none is missing.
 * Only schema-valid callers take part, so `id` is an id (the schema's `flowId` pattern: no `/`,
 * no `..`), and the file is read only from inside the caller's flows folder.
 */
function loadCalledSubflows(analysed: AnalysedFlow[], rootOf: (a: AnalysedFlow) => string, load: (file: string, root: string) => void): void {
  // The ids loaded so far; `load` appends to `analysed`, so it is topped up rather than rebuilt per subflow node.
  const ids = new Set<string>();
  let known = 0;
  for (let i = 0; i < analysed.length; i++) {
    const a = analysed[i]!;
    if (a.member === undefined) continue; // not schema-valid: its nodes cannot be trusted
    for (const [, node] of nodeEntries(a.member.doc)) {
      if (!('subflow' in node)) continue;
      for (; known < analysed.length; known++) ids.add(analysed[known]!.flow.id);
      if (ids.has(node.subflow.flow)) continue;
      const candidate = join(a.flow.dir, `${node.subflow.flow}.yaml`);
      if (existsSync(candidate)) load(candidate, rootOf(a));
    }
  }
}

function duplicateId(dup: AnalysedFlow, first: LoadedFlow): Diagnostic {
  const message = `flow id \`${dup.flow.id}\` is also the id of ${relative(dup.flow.dir, first.file)}; ids must be unique (set \`id:\` or rename the file)`;
  if (dup.member && dup.flow.doc.id !== undefined) return diagnosticAt(dup.member.source, 'duplicate-flow-id', pointerOf('id'), message);
  return fileDiagnostic(dup.flow.file, 'duplicate-flow-id', message);
}
