import { hasErrors } from '../diagnostics/diagnostic.js';
import type { FlowSet } from '../flow/loaded-flow.js';
import { compileFlow } from './compile-flow.js';
import type { CompiledFlow } from './compiled-flow.js';

export { compileFlow, flowMachineConfig } from './compile-flow.js';
export type { CompiledFlow } from './compiled-flow.js';
export { sayNumber, sayDigits } from './say-number.js';

/** Every flow of the set that has no errors, compiled, by id (flows with errors are skipped: validate reports them). */
export function compileFlowSet(set: FlowSet): Map<string, CompiledFlow> {
  const compiled = new Map<string, CompiledFlow>();
  for (const [id, flow] of set.flows) {
    if (hasErrors(flow.diagnostics)) continue;
    compiled.set(id, compileFlow(flow, set));
  }
  return compiled;
}
