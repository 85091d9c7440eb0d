/**
 * One version of everything a call needs, built once and shared by every call started while it is
 * current: the compiled flows and their prompt audio. The server asks its `flows()` provider for
 * the current one at each call's start, so a reload that swaps it never touches calls in progress.
 */
import { loadPromptStore } from '../audio/prompt-store.js';
import type { PromptStore } from '../audio/types.js';
import { compileFlowSet } from '../compile/index.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import { hasErrors, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { loadFlows } from '../flow/load-flows.js';

export interface ServingFlows {
  flows: ReadonlyMap<string, CompiledFlow>;
  prompts: PromptStore;
  /** When this version was built (ms since the epoch), for logs and `/healthz`. */
  loadedAt: number;
}

/**
 * Loads, checks, compiles and converts the flows under `paths`. No value when any flow (or its
 * audio) has errors: a server never starts, nor reloads to, a set it cannot serve entirely.
 *
 *   const { value, diagnostics } = await loadServingFlows(['flows/']);
 */
export async function loadServingFlows(paths: string[]): Promise<Result<ServingFlows> & { flowCount: number }> {
  const set = await loadFlows(paths);
  const flowCount = set.flows.size;
  const diagnostics: Diagnostic[] = [...set.diagnostics];
  for (const flow of set.flows.values()) diagnostics.push(...flow.diagnostics);
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics, flowCount };
  const { store, diagnostics: audio } = await loadPromptStore(set.flows.values());
  diagnostics.push(...audio);
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics, flowCount };
  const flows = compileFlowSet(set);
  return { value: { flows, prompts: store, loadedAt: Date.now() }, diagnostics, flowCount };
}
