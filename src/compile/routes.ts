/**
 * Where transitions lead, as plain config data: node states are addressed by id (`#n:<path>`),
 * the end of the call by `#ended`. Also the compile-time view of one flow (root or subflow) that
 * the node builders share.
 */
import type { FlowSet, LoadedFlow } from '../flow/loaded-flow.js';
import type { FlowNode, Target } from '../flow/types.js';
import { parseDuration } from '../flow/duration.js';
import { SUBFLOW_SEPARATOR, stateKey } from '../flow/state-key.js';
import type { ExprEnv } from './expressions.js';
import type { Parts } from './parts.js';

/** A piece of XState config: plain, JSON-serialisable data. */
export type Config = Record<string, unknown>;
/** Whether a config value is a map (a state, a table of transitions): an object, not a list. */
export const isConfig = (value: unknown): value is Config => typeof value === 'object' && value !== null && !Array.isArray(value);
export type Transition = Config;

export interface FlowScope {
  flow: LoadedFlow;
  /** State id prefix: '' at the top level, `<subflow node>/` (nested) inside a subflow. */
  prefix: string;
  env: ExprEnv;
  envWithResponse: ExprEnv;
  parts: Parts;
  flows: FlowSet;
  /** Flow ids from the top-level flow down to this one: a subflow already in it is recursion. */
  chain: string[];
  /**
   * Inside a subflow: how its `return` nodes continue in the parent, the `output` assignments'
   * id, and whether the parent's continuation can reach a sensitive collect (sensitive.ts).
   */
  parent: { returnTo: Transition; output: string; returnReaches: boolean } | null;
  /** Global keys of the calling flows still active here (flow-language v1.1), by key: the nearest flow's win. */
  inherited: Record<string, InheritedKey>;
  /**
   * Builds a called flow's states inside a subflow node; absent: inlined (node-states.ts). The
   * size count (flow-size.ts) gives one that only notes which flow is called, so a flow's
   * config is built once without its subflows.
   */
  inlineSubflow?: (scope: FlowScope) => Config;
}

/** A calling flow's global key, active inside its subflows. */
export interface InheritedKey {
  target: Target;
  /** The scope of the flow that declares it: its target, `set` and onError are that flow's. */
  declaredIn: FlowScope;
}

/** How watchers name a node: `<node>` in the call's flow, `<subflow id>/<node>` inside a subflow (records, logs, coverage). */
export const nodePath = (scope: FlowScope, name: string): string => (scope.chain.length > 1 ? `${scope.flow.id}${SUBFLOW_SEPARATOR}${name}` : name);

export const ENDED = '#ended';

export const stateId = (scope: FlowScope, name: string): string => `n:${scope.prefix}${stateKey(name)}`;
/** Id under which a node's compiled part is stored (unique per inlined copy of a subflow). */
export const partId = (scope: FlowScope, node: string, what: string): string => `${scope.prefix}${node}:${what}`;

/** Notes a key on the call's event stream (masked as sensitive.ts says); first action of every `dtmf` transition. */
export const noteKey = (taken: boolean, acted: boolean): Config => act('noteKey', { taken, acted });

export const act = (type: string, params?: Config): Config => (params === undefined ? { type } : { type, params });

/**
 * A key's transitions, wherever the call is: first the rule that a terminator pressed right after
 * a collect filled `max` (within its inter-digit timeout) belongs to that collect and is consumed,
 * so "5 digits then pound" never leaks the `#` into the next node (flow-language v1.1).
 */
export const onKey = (...transitions: Transition[]): Transition[] => [
  { guard: 'terminatorAfterMax', actions: [act('consumeTerminator')] },
  ...transitions,
];
export const endCall = (reason: string): Config => act('endCall', { reason });

/**
 * A transition to the node `name` of this flow (re-entering it, so a menu's "repeat" option
 * starts a new visit), or, with no name, the end of the call with `fallbackReason`.
 */
export function goTo(scope: FlowScope, name: string | undefined, fallbackReason: string, actions: Config[] = []): Transition {
  if (name !== undefined && Object.hasOwn(scope.flow.doc.nodes, name)) {
    return { target: `#${stateId(scope, name)}`, reenter: true, actions };
  }
  if (name !== undefined) {
    // validate rejects unknown targets; a flow compiled anyway ends the call rather than crash.
    const log = act('log', { level: 'error', node: name, message: `unknown node "${name}" in flow ${scope.flow.id}` });
    return { target: ENDED, actions: [...actions, log, endCall('error')] };
  }
  return { target: ENDED, actions: [...actions, endCall(fallbackReason)] };
}

/** The first `always` entry of any state where an evaluation can fail: route the error to onError. */
export function errorRoute(scope: FlowScope, name: string, node: FlowNode): Transition {
  const flowOnError = scope.flow.doc.onError !== name ? scope.flow.doc.onError : undefined;
  return { guard: 'failed', ...goTo(scope, node.onError ?? flowOnError, 'error', [act('reportError', { node: name })]) };
}

export function durationMs(value: string | number | undefined, fallback: number): number {
  return value === undefined ? fallback : parseDuration(value) ?? fallback;
}
