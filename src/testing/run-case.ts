import type { PromptStore } from '../audio/types.js';
import type { CompiledFlow } from '../compile/compiled-flow.js';
import { checkExpect, type Mismatch } from './check-expect.js';
import { SimulatedCall, type SimulatedCallOptions, type TraceEvent, type TranscriptLine } from './simulated-call.js';
import type { PositionedStep, Step, TestCase } from './test-file.js';
import { maskDeep, maskValues } from '../compile/sensitive.js';

export interface CaseFailure {
  step: PositionedStep;
  /** Why the step failed: the expect keys that did not hold, or a step that could not run. */
  mismatches: Mismatch[];
  message?: string;
}

export interface CaseResult {
  name: string;
  line: number;
  passed: boolean;
  failure?: CaseFailure;
  /** The call's story up to the end of the case (or the failing step). */
  transcript: TranscriptLine[];
  trace: TraceEvent[];
  /** Real milliseconds the case took. */
  ms: number;
}

/** Watchers of the case's call as under `ivr serve` (a call record per case). */
export type CaseWatch = Pick<SimulatedCallOptions, 'watchers'>;

/**
 * Runs one test case: a fresh simulated call, the steps in order, each `expect` checked against
 * what the engine did since the previous one. Stops at the first failing step.
 */
export async function runCase(c: TestCase, flow: CompiledFlow, prompts: PromptStore, watch: CaseWatch = {}): Promise<CaseResult> {
  const startedAt = performance.now();
  const call = await SimulatedCall.start({ flow, prompts, format: c.format, headers: c.headers, vars: c.vars, fetch: c.fetch, startAt: c.startAt, callId: c.callId, ...watch });
  let failure: CaseFailure | undefined;
  for (const positioned of c.steps) {
    try {
      failure = await runStep(call, positioned);
    } catch (err) {
      // An engine bug must fail this case with its story, not abort the whole run.
      failure = { step: positioned, mismatches: [], message: `the engine threw: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (failure) break;
  }
  // What the author wrote may hold a secret the call was given (`sendDtmf: "*24321#"`): every output of the failure shows it masked.
  if (failure) failure = maskFailure(failure, call.secrets());
  const transcript = [...call.transcript];
  // A case may stop mid-call: hang up so the session cancels its timers and settles.
  if (call.ended === undefined) await call.hangup();
  const result: CaseResult = {
    name: c.name,
    line: c.line,
    passed: failure === undefined,
    transcript,
    trace: call.trace,
    ms: performance.now() - startedAt,
  };
  if (failure) result.failure = failure;
  return result;
}

/** The failure with the step (its header), the expected sides and the message masked; `actual` is output's shown form already. */
function maskFailure(failure: CaseFailure, secrets: readonly string[]): CaseFailure {
  if (secrets.length === 0) return failure;
  const masked: CaseFailure = {
    step: { ...failure.step, step: maskDeep(failure.step.step, secrets) as Step },
    mismatches: failure.mismatches.map((m) => ({ ...m, expected: maskDeep(m.expected, secrets) })),
  };
  if (failure.message !== undefined) masked.message = maskValues(failure.message, secrets);
  return masked;
}

async function runStep(call: SimulatedCall, positioned: PositionedStep): Promise<CaseFailure | undefined> {
  const { step } = positioned;
  const fail = (message: string): CaseFailure => ({ step: positioned, mismatches: [], message });
  switch (step.kind) {
    case 'press':
      if (call.ended !== undefined) return fail(`cannot press ${step.keys}: the call already ended (${call.ended})`);
      await call.press(step.keys);
      return undefined;
    case 'played':
      await call.played();
      return undefined;
    case 'wait':
      await call.wait(step.ms, step.text);
      return undefined;
    case 'fetchFails':
      if (!(await call.fetchFails(step.failure))) return fail('fetchFails: no fetch was pending');
      return undefined;
    case 'hangup':
      if (call.ended !== undefined) return fail(`cannot hang up: the call already ended (${call.ended})`);
      await call.hangup();
      return undefined;
    case 'expect': {
      const mismatches = checkExpect(step.expect, { observed: call.take(), node: call.node, flow: call.currentFlowId, vars: call.vars(), sensitive: call.sensitiveVars() });
      return mismatches.length > 0 ? { step: positioned, mismatches } : undefined;
    }
  }
}
