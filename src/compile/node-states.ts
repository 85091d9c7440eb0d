/**
 * One XState state per node, as plain config data. Every node state has the id `n:<path>`, emits
 * `node` on entry and is compound, so its steps (play, wait, decide, route) are substates whose
 * timers die with them. What its first step does on entry is the node's own entry (after
 * `enterNode`): entering a node runs one list of actions, which XState resolves as one. Menu and collect live in input-states.ts; fetch, transfer and record in
 * io-states.ts; subflow and return in subflow-states.ts.
 */
import { DEFAULTS } from '../flow/defaults.js';
import type { Assignments, FlowNode, PromptSpec, SplitCase } from '../flow/types.js';
import { nodeKind } from '../flow/types.js';
import { expression } from './expressions.js';
import { collectState, menuState } from './input-states.js';
import { fetchState, recordState, transferState } from './io-states.js';
import { returnState, subflowState } from './subflow-states.js';
import { ignoreKey, ignoreKeys, promptPart } from './node-parts.js';
import { compileAssignments } from './assignments.js';
import { isSensitiveCollect, keyMasking, keysReachSensitive } from './sensitive.js';
import { startNode as flowStart } from '../flow/flow-edges.js';
import {
  act, endCall, ENDED, errorRoute, goTo, nodePath, noteKey, onKey, partId, stateId,
  type Config, type FlowScope,
} from './routes.js';
import { stateKey } from '../flow/state-key.js';

/** A called flow's states, for subflow-states.ts (given, not imported: a subflow inlines node states, which include subflows). */
function inlineFlow(scope: FlowScope): Config {
  return { initial: stateKey(startNode(scope)), states: nodeStates(scope) };
}

/** The node states of one flow, keyed by state key. */
export function nodeStates(scope: FlowScope): Record<string, Config> {
  const states: Record<string, Config> = {};
  const reaches = keysReachSensitive(scope.flow, scope.flows, scope.parent?.returnReaches ?? false, scope.chain.slice(0, -1));
  for (const [name, node] of Object.entries(scope.flow.doc.nodes)) {
    const body = nodeBody(scope, name, node);
    const enter = {
      node: name, path: nodePath(scope, name), flow: scope.flow.id, kind: nodeKind(node),
      keys: keyMasking(isSensitiveCollect(node), reaches.has(name)),
    };
    const entry = [act('enterNode', enter), ...((body.entry as Config[] | undefined) ?? [])];
    states[stateKey(name)] = { id: stateId(scope, name), ...body, entry };
  }
  return states;
}

/** The first node of a flow: `start`, else the first one listed. */
export function startNode(scope: FlowScope): string {
  return flowStart(scope.flow.doc) ?? '';
}

function nodeBody(scope: FlowScope, name: string, node: FlowNode): Config {
  switch (nodeKind(node)) {
    case 'play': return playState(scope, name, node as FlowNode & { play: PromptSpec });
    case 'menu': return menuState(scope, name, node as Parameters<typeof menuState>[2]);
    case 'collect': return collectState(scope, name, node as Parameters<typeof collectState>[2]);
    case 'branch': return branchState(scope, name, node as Parameters<typeof branchState>[2]);
    case 'split': return splitState(scope, name, node as FlowNode & { split: SplitCase[] });
    case 'set': return setState(scope, name, node as FlowNode & { set: Assignments });
    case 'fetch': return fetchState(scope, name, node as Parameters<typeof fetchState>[2]);
    case 'transfer': return transferState(scope, name, node as Parameters<typeof transferState>[2]);
    case 'record': return recordState(scope, name, node as Parameters<typeof recordState>[2]);
    case 'subflow': return subflowState(scope, name, node as Parameters<typeof subflowState>[2], scope.inlineSubflow ?? inlineFlow);
    case 'return': return returnState(scope, name, node);
    case 'end': return endState(scope, name, (node as FlowNode & { end: { prompt?: PromptSpec; reason?: string } | null }).end);
  }
}

function assignmentsPart(scope: FlowScope, name: string, what: string, set: Assignments | undefined, ...path: (string | number)[]) {
  return scope.parts.add(scope.parts.assignments, partId(scope, name, what), compileAssignments(set, scope.env, scope.env.vars, 'nodes', name, ...path));
}

function playState(scope: FlowScope, name: string, node: FlowNode & { play: PromptSpec }): Config {
  const bargeIn = node.bargeIn ?? scope.flow.doc.settings?.bargeIn ?? DEFAULTS.bargeIn;
  const prompt = promptPart(scope, name, node.play);
  const next = (actions: Config[] = []) => goTo(scope, node.next, DEFAULTS.endReason, actions);
  return {
    // With barge-in, typeahead skips the prompt: the caller is already past it.
    entry: [act('play', { prompt, bargeIn, node: name, skipOnTypeahead: bargeIn })],
    initial: 'playing',
    states: {
      playing: {
        always: [errorRoute(scope, name, node), { guard: 'nothingPlaying', ...next() }],
        on: {
          'playback.finished': { guard: 'isCurrentPlayback', ...next([act('playbackFinished')]) },
          // Barge-in: the key stops the prompt and is kept as typeahead for the next menu/collect.
          dtmf: onKey(bargeIn ? next([noteKey(false, true), act('clearPlayback'), act('addTypeahead')]) : ignoreKey(name, 'prompt plays without barge-in')),
        },
      },
    },
  };
}

function branchState(scope: FlowScope, name: string, node: FlowNode & { branch: { if?: string; goto: string; set?: Assignments }[] }): Config {
  const cases = node.branch;
  const branch = scope.parts.add(scope.parts.branches, partId(scope, name, 'branch'),
    cases.map((c) => (c.if === undefined ? null : expression(c.if, scope.env))));
  const routes: Record<string, Config> = {};
  const decisions = cases.map((c, i) => {
    const guard = { type: 'decided', params: { is: `case:${i}` } };
    if (!c.set || Object.keys(c.set).length === 0) return { guard, ...goTo(scope, c.goto, DEFAULTS.endReason) };
    routes[`route case:${i}`] = {
      entry: [act('assignVars', { set: assignmentsPart(scope, name, `set:case:${i}`, c.set, 'branch', i, 'set') })],
      always: [errorRoute(scope, name, node), goTo(scope, c.goto, DEFAULTS.endReason)],
    };
    return { guard, target: `route case:${i}` };
  });
  return {
    entry: [act('evalBranch', { branch })],
    initial: 'decide',
    states: { decide: { always: [errorRoute(scope, name, node), ...decisions] }, ...routes },
  };
}

/** Percentage routing by the call's bucket (split-bucket.ts): the same call id always takes the same case. */
function splitState(scope: FlowScope, name: string, node: FlowNode & { split: SplitCase[] }): Config {
  const percents = node.split.map((c) => c.percent ?? null);
  const decisions = node.split.map((c, i) => ({ guard: { type: 'decided', params: { is: `case:${i}` } }, ...goTo(scope, c.goto, DEFAULTS.endReason) }));
  return {
    entry: [act('evalSplit', { percents, node: name })],
    initial: 'decide',
    states: { decide: { always: [errorRoute(scope, name, node), ...decisions] } },
  };
}

function setState(scope: FlowScope, name: string, node: FlowNode & { set: Assignments }): Config {
  return {
    entry: [act('assignVars', { set: assignmentsPart(scope, name, 'set', node.set, 'set') })],
    initial: 'assign',
    states: {
      assign: {
        always: [errorRoute(scope, name, node), goTo(scope, node.next, DEFAULTS.endReason)],
      },
    },
  };
}

function endState(scope: FlowScope, name: string, spec: { prompt?: PromptSpec; reason?: string } | null): Config {
  const reason = spec?.reason ?? DEFAULTS.endReason;
  const close = { target: ENDED, actions: [endCall(reason)] };
  const prompt = promptPart(scope, name, spec?.prompt);
  return {
    // The end prompt never barges in.
    entry: [act('dropTypeahead'), act('play', { prompt, bargeIn: false, node: name })],
    on: ignoreKeys(name, 'the call is ending'),
    initial: 'closing',
    states: {
      closing: {
        // A failing end prompt (a bad `number`) still ends the call, with the node's reason: no onError loop.
        always: [{ guard: 'failed', target: ENDED, actions: [act('reportError', { node: name }), endCall(reason)] }, { guard: 'nothingPlaying', ...close }],
        on: { 'playback.finished': { guard: 'isCurrentPlayback', target: ENDED, actions: [act('playbackFinished'), endCall(reason)] } },
      },
    },
  };
}
