/**
 * One version of everything a call needs, built once and shared by every call started while it is
 * current: the compiled flows and their prompt audio. The server asks its `flows()` provider for
 * the current one at each call's start, so a reload that swaps it never touches calls in progress.
 */
import type { PromptStore } from '../audio/types.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import { buildMachines } from '../compile/index.js';
import type { Result } from '../diagnostics/diagnostic.js';
import { prepareWholeSet } from '../pipeline/prepare-flows.js';

export interface ServingFlows {
  flows: ReadonlyMap<string, CompiledFlow>;
  prompts: PromptStore;
  /** When this version was built (ms since the epoch), for logs and `/healthz`. */
  loadedAt: number;
}

/**
 * The front-end pipeline (src/pipeline/) for the flows under `paths`, all or nothing: no value
 * when any flow (or its audio) has errors, since a server never starts, nor reloads to, a set it
 * cannot serve entirely. In this thread, with no reload worker to try them first, every machine is
 * built now (`buildMachines`), so a compiler failure refuses the set here too.
 *
 *   const { value, diagnostics } = await loadServingFlows(['flows/']);
 */
export async function loadServingFlows(paths: string[]): Promise<Result<ServingFlows> & { flowCount: number }> {
  const { value, diagnostics, flowCount } = await prepareWholeSet(paths);
  if (value === undefined) return { value: undefined, diagnostics, flowCount };
  buildMachines(value.compiled.values());
  return { value: servingFlows(value.compiled, value.prompts), diagnostics, flowCount };
}

/** A new version from its compiled flows and their audio (a reload builds them in two threads: src/ops/reload-thread.ts). */
export function servingFlows(flows: ReadonlyMap<string, CompiledFlow>, prompts: PromptStore): ServingFlows {
  return { flows, prompts, loadedAt: Date.now() };
}
