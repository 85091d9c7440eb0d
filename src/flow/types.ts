/**
 * The flow document as the author writes it (flow-language v1), after schema validation.
 * Shapes mirror `schemas/flow.schema.json` one to one, so a JSON pointer into this object
 * is also a pointer into the YAML source (see `parse/`), which is how diagnostics find their line.
 *
 * Defaults are not filled in here: `flow/defaults.ts` holds them, the compiler applies them.
 *
 * flow/ is the bottom layer: the document's types and the small facts every stage shares (the
 * DTMF keys, flow ids, durations, languages, and the flow's edges in flow-edges.ts); it imports
 * nothing of the project but diagnostics/.
 */

/** `250ms`, `5s`, `2m`, `1h`, or a number of milliseconds. */
export type Duration = string | number;

/** A CEL expression, as source text. */
export type Expr = string;

/** A prompt item: a prompt name, digits/number read from an expression, silence, or text spoken at call time. */
export type PromptItem =
  | string
  | { digits: Expr }
  | { number: Expr }
  | { silence: Duration }
  /** Text with `{{ }}` templates, synthesized when played (flow-language.md, "Prompts from text"). */
  | { say: string };

/** One item or a list of items, played in order. */
export type PromptSpec = PromptItem | PromptItem[];

/** Variable assignments: variable name -> CEL expression. */
export type Assignments = Record<string, Expr>;

/** Where a key, handler or case leads: a node name, or a node name plus assignments. */
export type Target = string | { goto: string; set?: Assignments };

export interface FailureHandler {
  prompt?: PromptSpec;
  /** Escalating prompts: the n-th failure plays the n-th entry, the last repeats (not with `prompt`). */
  prompts?: PromptSpec[];
  /** Failures allowed before `then` (default 3). */
  max?: number;
  /** Node to go to when the counter reaches `max` (default: the flow's onFailure, else end). */
  then?: string;
}

export interface Settings {
  timeout?: Duration;
  interDigitTimeout?: Duration;
  bargeIn?: boolean;
  language?: string;
  /** The languages the flow speaks; the first is the default (v1.1, "Per-call language"). */
  languages?: string[];
  /** Synthesizer voice (engine-specific name) for text prompts and `say`. */
  voice?: string;
  /** Longest a `say` may take to synthesize before it is an error (default 3s). */
  sayTimeout?: Duration;
  maxCallDuration?: Duration;
}

/** Keys every node may carry. */
export interface NodeCommon {
  description?: string;
  next?: string;
  onError?: string;
  bargeIn?: boolean;
  timeout?: Duration;
  interDigitTimeout?: Duration;
}

export interface MatchRule {
  pattern: string;
  goto: string;
  set?: Assignments;
}

export interface MenuSpec {
  prompt?: PromptSpec;
  reprompt?: PromptSpec;
  options?: Record<string, Target>;
  match?: MatchRule[];
  maxDigits?: number;
  terminator?: string;
  /** `false` turns the flow's global keys off in this menu. */
  global?: boolean;
  noInput?: FailureHandler;
  noMatch?: FailureHandler;
}

export interface CollectSpec {
  prompt?: PromptSpec;
  reprompt?: PromptSpec;
  into: string;
  min?: number;
  max?: number;
  /** Default `#`; `""` for none. */
  terminator?: string;
  pattern?: string;
  /** CEL over `input` that must hold. */
  valid?: Expr;
  sensitive?: boolean;
  global?: boolean;
  noInput?: FailureHandler;
  noMatch?: FailureHandler;
}

export interface BranchCase {
  if?: Expr;
  goto: string;
  set?: Assignments;
}

/** A `split` case: `percent` of the calls (by callId bucket) go to `goto`; no percent: the rest. */
export interface SplitCase {
  percent?: number;
  goto: string;
}

export interface FetchSpec {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: unknown;
  timeout?: Duration;
  retries?: number;
  prompt?: PromptSpec;
  set?: Assignments;
}

export interface TransferSpec {
  prompt?: PromptSpec;
  dtmf: string;
  /** Wait after sending the tones; default 250 ms per tone. */
  settle?: Duration;
}

export interface RecordSpec {
  prompt?: PromptSpec;
  beep?: boolean;
  maxDuration?: Duration;
  silenceTimeout?: Duration;
  terminator?: string;
  into?: string;
}

export interface SubflowSpec {
  flow: string;
  input?: Assignments;
  output?: Assignments;
  /** `false`: the caller's global keys are off inside the subflow (default: on, at any depth). */
  global?: boolean;
}

export interface EndSpec {
  prompt?: PromptSpec;
  reason?: string;
}

export type FlowNode = NodeCommon &
  (
    | { play: PromptSpec }
    | { menu: MenuSpec }
    | { collect: CollectSpec }
    | { branch: BranchCase[] }
    | { split: SplitCase[] }
    | { set: Assignments }
    | { fetch: FetchSpec }
    | { transfer: TransferSpec }
    | { record: RecordSpec }
    | { subflow: SubflowSpec }
    | { return: Record<string, never> | null }
    | { end: EndSpec | null }
  );

export const NODE_KINDS = [
  'play', 'menu', 'collect', 'branch', 'split', 'set', 'fetch', 'transfer', 'record', 'subflow', 'return', 'end',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export interface PromptDef {
  /** WAV file; may contain `{language}`. Without one the prompt is found by name, else synthesized from `text`. */
  file?: string;
  /** The words: one text (in the flow's default language) or one per language. */
  text?: string | Record<string, string>;
}

export type VarValue = string | number | boolean | null;

export interface FlowDoc {
  ivr: 1;
  id?: string;
  description?: string;
  settings?: Settings;
  prompts?: Record<string, PromptDef>;
  vars?: Record<string, VarValue>;
  global?: Record<string, Target>;
  onError?: string;
  onFailure?: string;
  start?: string;
  nodes: Record<string, FlowNode>;
}

/** The one kind key a node carries. */
export function nodeKind(node: FlowNode): NodeKind {
  for (const kind of NODE_KINDS) if (kind in node) return kind;
  throw new Error('node without a kind key (schema validation should have caught this)');
}

/** A target's node name and assignments, whichever form it was written in. */
export function targetOf(target: Target): { goto: string; set: Assignments } {
  return typeof target === 'string' ? { goto: target, set: {} } : { goto: target.goto, set: target.set ?? {} };
}

/** A prompt spec as a list. */
export function promptItems(spec: PromptSpec | undefined): PromptItem[] {
  if (spec === undefined) return [];
  return Array.isArray(spec) ? spec : [spec];
}
