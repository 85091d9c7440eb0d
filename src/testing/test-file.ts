import type { MediaFormat } from '../audio/types.js';

/**
 * A flow test file (flow-tests.md) after loading: the authored shape, plus the line of every
 * case and step so a failure can point at the YAML the author wrote.
 */

export type FetchFailStep = 'timeout' | 'network' | number;

export type Step =
  | { kind: 'press'; keys: string }
  | { kind: 'played' }
  | { kind: 'wait'; ms: number; text: string }
  | { kind: 'fetchFails'; failure: FetchFailStep }
  | { kind: 'hangup' }
  | { kind: 'expect'; expect: Expectation };

/** `expect:` keys, each checked only when present. */
export interface Expectation {
  /** Prompt names, or `{ say }` with the final text of synthesized speech. */
  play?: Array<string | { say: string }>;
  clear?: boolean;
  sendDtmf?: string;
  /** "METHOD url", or several, requested since the previous expect. */
  fetch?: string | string[];
  node?: string;
  vars?: Record<string, unknown>;
  /** The id of the flow running now (a subflow's while it runs). */
  flow?: string;
  end?: string;
  nothing?: boolean;
}

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface PositionedStep {
  step: Step;
  /** 1-based index in the case's `steps`. */
  index: number;
  line: number;
  col: number;
}

export interface TestCase {
  name: string;
  line: number;
  headers: Record<string, string>;
  format: MediaFormat;
  /** Epoch ms the simulated clock starts at (`start.at`); undefined: SimClock's default. */
  startAt: number | undefined;
  /** `start.callId`; undefined: the simulated call's default id. */
  callId: string | undefined;
  vars: Record<string, unknown>;
  /** Canned answers keyed "METHOD url". */
  fetch: Record<string, CannedResponse>;
  steps: PositionedStep[];
}

export interface TestFile {
  /** Absolute path. */
  file: string;
  /** `flow:` or the file name without `.test.yaml`. */
  flow: string;
  cases: TestCase[];
}

/** The authored YAML shape, as the schema admits it. */
export interface TestFileDoc {
  flow?: string;
  description?: string;
  /** Given to every case; a case's own keys win. */
  defaults?: CaseSetupDoc;
  cases: TestCaseDoc[];
}

export interface StartDoc {
  headers?: Record<string, string>;
  format?: MediaFormat;
  at?: string;
  callId?: string;
}

/** What a case (or the file's `defaults`) says about the call before its steps. */
export interface CaseSetupDoc {
  start?: StartDoc;
  vars?: Record<string, unknown>;
  fetch?: Record<string, CannedResponse>;
}

export interface TestCaseDoc extends CaseSetupDoc {
  name: string;
  description?: string;
  steps: StepDoc[];
}

export type StepDoc =
  | 'played'
  | 'hangup'
  | { press: string }
  | { wait: string | number }
  | { fetchFails: 'timeout' | 'network' | number }
  | { expect: Expectation }
  | { played: null }
  | { hangup: null };
