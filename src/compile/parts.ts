/**
 * The compiled pieces of a flow that the machine config names by id: prompts, decision rules,
 * assignments, requests. Built once per flow version by the compiler and closed over by the
 * action and guard implementations given to `setup()`, so the config itself stays plain data.
 */
import type { CollectRules } from './collect-rules.js';
import type { VarType } from '../expr/index.js';
import type { Evaluator, Renderer } from './expressions.js';
import type { MenuRules } from './menu-rules.js';
import type { PromptPlan } from './prompt-plan.js';

export interface Assignment {
  name: string;
  expr: Evaluator;
  /** The variable's declared type: a value that does not fit is a runtime error. */
  type: VarType;
  /** Where it is written, for that error: "node `lookup`: `fetch.set.balance`". */
  where: string;
}

export interface CollectPlan {
  rules: CollectRules;
  /** `valid`: CEL over `input` that must hold. */
  valid: Evaluator | null;
  node: string;
  /** How long after `max` digits a terminator still belongs to this collect. */
  interDigitMs: number;
}

export interface FetchPlan {
  method: string;
  url: Renderer;
  headers: Renderer | null;
  body: Renderer | null;
  timeoutMs: number;
  retries: number;
  set: Assignment[];
}

export interface TransferPlan {
  dtmf: Renderer;
  /** Explicit `settle`; otherwise 250 ms per tone sent. */
  settleMs: number | undefined;
}

export interface SubflowPlan {
  /** The child's initial variables (its `vars`). */
  initialVars: Record<string, unknown>;
  /** `input:` evaluated over the parent's scope. */
  input: Assignment[];
  flow: string;
}

export class Parts {
  readonly prompts = new Map<string, PromptPlan>();
  readonly menus = new Map<string, MenuRules>();
  readonly collects = new Map<string, CollectPlan>();
  readonly assignments = new Map<string, Assignment[]>();
  readonly branches = new Map<string, (Evaluator | null)[]>();
  readonly fetches = new Map<string, FetchPlan>();
  readonly transfers = new Map<string, TransferPlan>();
  readonly subflows = new Map<string, SubflowPlan>();
  /**
   * Variables that hold a sensitive collect's value or one computed from it (any flow of the
   * call, compile/sensitive.ts `secretVars`): prompt items reading them are secret, test output masks their values.
   */
  constructor(readonly sensitiveVars: ReadonlySet<string> = new Set()) {}

  /** Stores `value` under `id` and returns the id, for the config to name. */
  add<T>(map: Map<string, T>, id: string, value: T): string {
    if (map.has(id)) throw new Error(`duplicate compiled part ${id}`);
    map.set(id, value);
    return id;
  }
}

/** Looks a part up; a missing one is a compiler bug, reported as a runtime error of the call. */
export function part<T>(map: Map<string, T>, id: string): T {
  const value = map.get(id);
  if (value === undefined) throw new Error(`compiler bug: no compiled part ${id}`);
  return value;
}
