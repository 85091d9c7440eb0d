import { statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { byPosition } from '../diagnostics/make-diagnostic.js';
import type { FlowSet, LoadedFlow } from '../flow/loaded-flow.js';
import { loadFlowSet } from './load-flows.js';

/** Flows through the front end: every flow found (those with errors too), and how many files were read. */
export interface CheckedFlows {
  set: FlowSet;
  /** Flow files read (for "in N flows"). */
  files: number;
}

/**
 * The front end for every flow under `paths` (and the subflows they call): parse -> schema ->
 * checks -> set-level checks. `diagnostics` holds every finding, of the set and of each flow, in
 * file and position order; `ivr validate` prints exactly these.
 *
 * @example
 *   const { value, diagnostics } = await checkFlows(['flows/']);
 *   const usable = [...value.set.flows.values()].filter((f) => !hasErrors(f.diagnostics));
 */
export async function checkFlows(paths: readonly string[]): Promise<{ value: CheckedFlows; diagnostics: Diagnostic[] }> {
  const { set, files } = await loadFlowSet([...paths]);
  const diagnostics: Diagnostic[] = [...set.diagnostics];
  for (const flow of set.flows.values()) diagnostics.push(...flow.diagnostics);
  return { value: { set, files }, diagnostics: diagnostics.sort(byPosition) };
}

/**
 * The flows `paths` name (a file, or every flow in a folder), not the subflows they merely call,
 * and the errors that stop them being compiled or drawn: the set's and those flows' own.
 */
export function givenFlows(checked: CheckedFlows, paths: readonly string[]): { flows: LoadedFlow[]; errors: Diagnostic[] } {
  const wanted = paths.map((p) => ({ path: resolve(p), dir: isDirectory(p) }));
  const given = (file: string) => wanted.some((w) => (w.dir ? file.startsWith(w.path + sep) : resolve(file) === w.path));
  const flows = [...checked.set.flows.values()].filter((f) => given(f.file));
  const errors = [...checked.set.diagnostics, ...flows.flatMap((f) => f.diagnostics)].filter((d) => d.severity === 'error');
  return { flows, errors: errors.sort(byPosition) };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
