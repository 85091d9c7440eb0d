/**
 * The front-end pipeline: the one place that sequences what happens to flow files before a call
 * can run them. Every command and the server's (re)load go through here:
 *
 *   files --load-flows--> parse -> schema -> checks (analyse-flow.ts, per file)
 *         --> set-level checks (subflows, duplicate ids)            = checkFlows: validate, compile, graph
 *         --> prompt store (audio resolved, converted once)
 *         --> compile (flows with no errors of their own, prompts included)  = prepareFlows: test, call, replay
 *         --> all or nothing                                 = prepareWholeSet, via loadServingFlows (src/plivo/): serve, reload
 *
 * Each stage returns `{ value, diagnostics }`; a later stage never runs on what an earlier one
 * rejected (a flow with errors, in its file or its prompts, is not compiled).
 */
import { loadPromptStore } from '../audio/prompt-store.js';
import { defaultSynthesizer } from '../speech/synthesizer.js';
import type { PromptStore } from '../audio/types.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import { compileFlowSet } from '../compile/index.js';
import { flowSizeDiagnostics } from '../compile/flow-size.js';
import { hasErrors, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { byPosition } from '../diagnostics/make-diagnostic.js';
import type { LoadedFlow } from '../flow/loaded-flow.js';
import { checkFlows } from './check-flows.js';
import { MAX_FLOW_STATES } from '../options/serve-options.js';

/** Flows as `ivr serve` would run them: loaded, checked, prompts converted, compiled. */
export interface PreparedFlows {
  /** Every flow found, those with errors too (their `doc` may be partial). */
  loaded: Map<string, LoadedFlow>;
  /** The flows without errors (in their file or their prompts), compiled. */
  compiled: Map<string, CompiledFlow>;
  prompts: PromptStore;
  /** Flow files read. */
  files: number;
}

/**
 * Every stage for the flows under `paths`. A flow with errors is reported and left out of
 * `compiled`; the others are ready to call.
 *
 * @example
 *   const { value, diagnostics } = await prepareFlows(['flows/']);
 *   const support = value.compiled.get('support');
 */
export async function prepareFlows(paths: readonly string[]): Promise<{ value: PreparedFlows; diagnostics: Diagnostic[] }> {
  const prepared = await runStages(paths, false);
  return { value: prepared.value!, diagnostics: prepared.diagnostics };
}

/**
 * `prepareFlows`, all or nothing: no value when any flow or prompt has an error (a server serves
 * a whole set or none of it), and no audio converted for a set that has. A flow over
 * `maxFlowStates` (compile/flow-size.ts; default `--max-flow-states`'s) is a `flow-too-large`
 * error, found before any audio is converted or machine compiled; `prepareFlows` reports it too
 * and compiles the other flows, so `ivr test`, `ivr call` and replay never build a machine the
 * server would refuse (a few small files nesting subflows describe millions of states).
 */
export async function prepareWholeSet(paths: readonly string[], limits: { maxFlowStates?: number } = {}): Promise<Result<PreparedFlows> & { flowCount: number }> {
  return runStages(paths, true, limits.maxFlowStates);
}

async function runStages(paths: readonly string[], wholeSet: boolean, maxFlowStates?: number): Promise<Result<PreparedFlows> & { flowCount: number }> {
  const checked = await checkFlows(paths);
  const { set, files } = checked.value;
  const flowCount = set.flows.size;
  if (wholeSet && hasErrors(checked.diagnostics)) return { value: undefined, diagnostics: checked.diagnostics, flowCount };
  const tooLarge = flowSizeDiagnostics(set, maxFlowStates ?? MAX_FLOW_STATES.default);
  if (wholeSet && tooLarge.length > 0) return { value: undefined, diagnostics: [...checked.diagnostics, ...tooLarge].sort(byPosition), flowCount };
  // Not compiled: compileFlowSet skips a flow with errors of its own.
  for (const d of tooLarge) for (const flow of set.flows.values()) if (flow.file === d.file) flow.diagnostics.push(d);
  const { store, diagnostics: audio } = await loadPromptStore(set.flows.values(), { speech: defaultSynthesizer() });
  const diagnostics = [...checked.diagnostics, ...tooLarge, ...audio].sort(byPosition);
  if (wholeSet && hasErrors(audio)) return { value: undefined, diagnostics, flowCount };
  const compiled = compileFlowSet(set);
  // A prompt that cannot be played is its flow's error: that flow is not called either.
  for (const d of audio) if (d.severity === 'error') for (const flow of set.flows.values()) if (flow.file === d.file) compiled.delete(flow.id);
  return { value: { loaded: set.flows, compiled, prompts: store, files }, diagnostics, flowCount };
}

/** The errors that belong to one flow's file. */
export function errorsOf(diagnostics: readonly Diagnostic[], flow: LoadedFlow): Diagnostic[] {
  return diagnostics.filter((d) => d.file === flow.file && hasErrors([d]));
}
