/**
 * Subflows are inlined: the child flow's nodes become substates of the subflow node (ids prefixed
 * with its path), so one machine runs the whole call. Entering pushes the parent's variables and
 * starts the child's with its own `vars` plus `input`; the child's `return` evaluates `output`
 * over the child's variables into the parent's and continues with the subflow node's `next`.
 * A child's `end` ends the whole call; its onError/onFailure are its own.
 */
import { DEFAULTS } from '../flow/defaults.js';
import type { FlowNode, SubflowSpec } from '../flow/types.js';
import { compileAssignments } from './assignments.js';
import { calledFlow } from './called-flow.js';
import { flowEnv } from './expressions.js';
import { act, endCall, ENDED, errorRoute, goTo, partId, type Config, type FlowScope, type InheritedKey } from './routes.js';
import { SUBFLOW_SEPARATOR, stateKey } from '../flow/state-key.js';
import { keysReachSensitive } from './sensitive.js';

/**
 * The subflow node: the called flow's states run inside it. `inlineFlow` builds those (node-states.ts
 * gives it: node states include subflow states, so importing it here would be a cycle).
 */
export function subflowState(scope: FlowScope, name: string, node: FlowNode & { subflow: SubflowSpec }, inlineFlow: (scope: FlowScope) => Config): Config {
  const spec = node.subflow;
  const called = calledFlow(scope.flows, spec.flow, scope.chain);
  if ('problem' in called) {
    // validate rejects each; compiled anyway, the node fails at run time and goes to onError.
    return {
      initial: 'broken',
      states: { broken: { entry: [act('fail', { message: called.problem })], always: [errorRoute(scope, name, node)] } },
    };
  }
  const { child } = called;
  const childScope: FlowScope = {
    ...scope,
    flow: child,
    prefix: `${scope.prefix}${stateKey(name)}${SUBFLOW_SEPARATOR}`,
    env: flowEnv(child),
    envWithResponse: flowEnv(child, true),
    chain: [...scope.chain, child.id],
    // This flow's global keys, and those it inherited, stay active in the child unless `global: false`.
    inherited: spec.global === false ? {} : { ...scope.inherited, ...inheritedFrom(scope) },
    parent: {
      returnTo: goTo(scope, node.next, DEFAULTS.endReason),
      returnReaches: node.next !== undefined && keysReachSensitive(scope.flow, scope.flows, scope.parent?.returnReaches ?? false, scope.chain.slice(0, -1)).has(node.next),
      output: scope.parts.add(scope.parts.assignments, partId(scope, name, 'output'),
        compileAssignments(spec.output, flowEnv(child), scope.env.vars, 'nodes', name, 'subflow', 'output')),
    },
  };
  const subflow = scope.parts.add(scope.parts.subflows, partId(scope, name, 'subflow'), {
    initialVars: { ...(child.doc.vars ?? {}) },
    input: compileAssignments(spec.input, scope.env, flowEnv(child).vars, 'nodes', name, 'subflow', 'input'),
    flow: child.id,
  });
  return {
    initial: 'enter',
    states: {
      enter: {
        entry: [act('pushSubflow', { subflow, parentFlow: scope.flow.id })],
        always: [errorRoute(scope, name, node), { target: 'run' }],
      },
      run: inlineFlow(childScope),
    },
  };
}

function inheritedFrom(scope: FlowScope): Record<string, InheritedKey> {
  return Object.fromEntries(Object.entries(scope.flow.doc.global ?? {}).map(([key, target]) => [key, { target, declaredIn: scope }]));
}

export function returnState(scope: FlowScope, name: string, node: FlowNode): Config {
  // In a top-level flow, `return` behaves like `end` (reason completed).
  if (!scope.parent) return { entry: [act('dropTypeahead')], initial: 'out', states: { out: { always: [{ target: ENDED, actions: [endCall(DEFAULTS.endReason)] }] } } };
  return {
    initial: 'out',
    states: {
      out: { entry: [act('popSubflow', { output: scope.parent.output })], always: [errorRoute(scope, name, node), scope.parent.returnTo] },
    },
  };
}
