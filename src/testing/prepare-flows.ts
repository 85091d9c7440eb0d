import type { PromptStore } from '../audio/types.js';
import { loadPromptStore } from '../audio/prompt-store.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import { compileFlowSet } from '../compile/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { loadFlows } from '../flow/load-flows.js';
import type { LoadedFlow } from '../flow/loaded-flow.js';

/** Flows as `ivr serve` would run them: loaded, checked, compiled, prompts converted. */
export interface PreparedFlows {
  loaded: Map<string, LoadedFlow>;
  compiled: Map<string, CompiledFlow>;
  prompts: PromptStore;
  /** Everything the front end, compiler and prompt store found (a flow with errors is not compiled). */
  diagnostics: Diagnostic[];
}

/**
 * The same pipeline as `ivr serve`, so a test runs exactly what a caller would hear:
 * front end (`loadFlows`) → compiler (`compileFlowSet`) → prompt store.
 */
export async function prepareFlows(paths: readonly string[]): Promise<PreparedFlows> {
  const set = await loadFlows([...paths]);
  const diagnostics: Diagnostic[] = [...set.diagnostics];
  for (const flow of set.flows.values()) diagnostics.push(...flow.diagnostics);
  const compiled = compileFlowSet(set);
  const { store, diagnostics: promptDiagnostics } = await loadPromptStore(set.flows.values());
  diagnostics.push(...promptDiagnostics);
  return { loaded: set.flows, compiled, prompts: store, diagnostics };
}

/** The errors that belong to one flow's file. */
export function errorsOf(prepared: PreparedFlows, flow: LoadedFlow): Diagnostic[] {
  return prepared.diagnostics.filter((d) => d.file === flow.file && hasErrors([d]));
}
