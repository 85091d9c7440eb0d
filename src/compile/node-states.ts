/**
 * One XState state per node, as plain config data. Every node state has the id `n:<path>`, emits
 * `node` on entry and is compound, so its steps (play, wait, decide, route) are substates whose
 * timers die with them. Menu and collect live in input-states.ts.
 */
import { DEFAULTS } from '../flow/defaults.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { Assignments, FlowNode, PromptSpec } from '../flow/types.js';
import { nodeKind, promptItems } from '../flow/types.js';
import { expression, flowEnv, jsonTemplate, template } from './expressions.js';
import { collectState, menuState } from './input-states.js';
import { planPrompt } from './prompt-plan.js';
import {
  act, durationMs, endCall, ENDED, errorRoute, goTo, partId, stateId, stateKey,
  type Config, type FlowScope,
} from './routes.js';

/** Safety margins for answers the runtime owes: its own timers should always come first. */
const FETCH_SAFETY_MS = 1000;
const RECORD_SAFETY_MS = 2000;
const RECORD_STOP_WAIT_MS = 5000;

/** The node states of one flow, keyed by state key. */
export function nodeStates(scope: FlowScope): Record<string, Config> {
  const states: Record<string, Config> = {};
  for (const [name, node] of Object.entries(scope.flow.doc.nodes)) {
    const body = nodeBody(scope, name, node);
    const entry = [act('enterNode', { node: name, flow: scope.flow.id }), ...((body.entry as Config[] | undefined) ?? [])];
    states[stateKey(name)] = { id: stateId(scope, name), ...body, entry };
  }
  return states;
}

/** The first node of a flow: `start`, else the first one listed. */
export function startNode(scope: FlowScope): string {
  return scope.flow.doc.start ?? Object.keys(scope.flow.doc.nodes)[0] ?? '';
}

function nodeBody(scope: FlowScope, name: string, node: FlowNode): Config {
  switch (nodeKind(node)) {
    case 'play': return playState(scope, name, node as FlowNode & { play: PromptSpec });
    case 'menu': return menuState(scope, name, node as Parameters<typeof menuState>[2]);
    case 'collect': return collectState(scope, name, node as Parameters<typeof collectState>[2]);
    case 'branch': return branchState(scope, name, node as Parameters<typeof branchState>[2]);
    case 'set': return setState(scope, name, node as FlowNode & { set: Assignments });
    case 'fetch': return fetchState(scope, name, node as Parameters<typeof fetchState>[2]);
    case 'transfer': return transferState(scope, name, node as Parameters<typeof transferState>[2]);
    case 'record': return recordState(scope, name, node as Parameters<typeof recordState>[2]);
    case 'subflow': return subflowState(scope, name, node as Parameters<typeof subflowState>[2]);
    case 'return': return returnState(scope, name, node);
    case 'end': return endState(scope, name, (node as FlowNode & { end: { prompt?: PromptSpec; reason?: string } | null }).end);
  }
}

const ignoreKeys = (name: string, why: string): Config => ({ dtmf: { actions: [act('ignoreKey', { node: name, why })] } });

function promptPart(scope: FlowScope, name: string, spec: PromptSpec | undefined, what = 'prompt'): string {
  return scope.parts.add(scope.parts.prompts, partId(scope, name, what), planPrompt(promptItems(spec), scope.flow.id, scope.env));
}

function assignmentsPart(scope: FlowScope, name: string, what: string, set: Assignments | undefined, withResponse = false) {
  const env = withResponse ? scope.envWithResponse : scope.env;
  return scope.parts.add(scope.parts.assignments, partId(scope, name, what),
    Object.entries(set ?? {}).map(([varName, source]) => ({ name: varName, expr: expression(source, env) })));
}

/** A substate playing `prompt` without barge-in, then going to `then` (keys are ignored by the node). */
function playThen(scope: FlowScope, name: string, node: FlowNode, prompt: string, then: Config): Config {
  return {
    entry: [act('play', { prompt, bargeIn: false, node: name })],
    always: [errorRoute(scope, name, node), { guard: 'nothingPlaying', ...then }],
    on: { 'playback.finished': { guard: 'isCurrentPlayback', ...then, actions: [act('playbackFinished'), ...((then.actions as Config[] | undefined) ?? [])] } },
  };
}

function playState(scope: FlowScope, name: string, node: FlowNode & { play: PromptSpec }): Config {
  const bargeIn = node.bargeIn ?? scope.flow.doc.settings?.bargeIn ?? DEFAULTS.bargeIn;
  const prompt = promptPart(scope, name, node.play);
  const next = (actions: Config[] = []) => goTo(scope, node.next, DEFAULTS.endReason, actions);
  return {
    initial: 'playing',
    states: {
      playing: {
        // With barge-in, typeahead skips the prompt: the caller is already past it.
        entry: [act('play', { prompt, bargeIn, node: name, skipOnTypeahead: bargeIn })],
        always: [errorRoute(scope, name, node), { guard: 'nothingPlaying', ...next() }],
        on: {
          'playback.finished': { guard: 'isCurrentPlayback', ...next([act('playbackFinished')]) },
          // Barge-in: the key stops the prompt and is kept as typeahead for the next menu/collect.
          dtmf: bargeIn ? next([act('clearPlayback'), act('addTypeahead')]) : ignoreKeys(name, 'prompt plays without barge-in').dtmf,
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
      entry: [act('assignVars', { set: assignmentsPart(scope, name, `set:case:${i}`, c.set) })],
      always: [errorRoute(scope, name, node), goTo(scope, c.goto, DEFAULTS.endReason)],
    };
    return { guard, target: `route case:${i}` };
  });
  return {
    initial: 'decide',
    states: { decide: { entry: [act('evalBranch', { branch })], always: [errorRoute(scope, name, node), ...decisions] }, ...routes },
  };
}

function setState(scope: FlowScope, name: string, node: FlowNode & { set: Assignments }): Config {
  return {
    initial: 'assign',
    states: {
      assign: {
        entry: [act('assignVars', { set: assignmentsPart(scope, name, 'set', node.set) })],
        always: [errorRoute(scope, name, node), goTo(scope, node.next, DEFAULTS.endReason)],
      },
    },
  };
}

function fetchState(scope: FlowScope, name: string, node: FlowNode & { fetch: import('../flow/types.js').FetchSpec }): Config {
  const spec = node.fetch;
  const timeoutMs = durationMs(spec.timeout, DEFAULTS.fetchTimeout);
  const retries = spec.retries ?? DEFAULTS.fetchRetries;
  const fetch = scope.parts.add(scope.parts.fetches, partId(scope, name, 'fetch'), {
    method: spec.method ?? DEFAULTS.fetchMethod,
    url: template(spec.url, scope.env),
    headers: spec.headers === undefined ? null : jsonTemplate(spec.headers, scope.env),
    body: spec.body === undefined ? null : jsonTemplate(spec.body, scope.env),
    timeoutMs,
    retries,
    set: Object.entries(spec.set ?? {}).map(([varName, source]) => ({ name: varName, expr: expression(source, scope.envWithResponse) })),
  });
  const prompt = promptPart(scope, name, spec.prompt);
  const onError = errorRoute(scope, name, node);
  return {
    entry: [act('dropTypeahead')],
    on: ignoreKeys(name, 'fetch in progress'),
    initial: 'request',
    states: {
      request: {
        // The wait prompt is cleared whenever the fetch ends, whatever the outcome.
        entry: [act('startFetch', { fetch }), act('play', { prompt, bargeIn: false, node: name })],
        always: [onError],
        // The runtime enforces timeout and retries; this only guarantees the call never hangs here.
        after: {
          [timeoutMs * (retries + 1) + FETCH_SAFETY_MS]: {
            target: 'failed',
            actions: [act('clearPlayback'), act('fail', { message: `fetch: no answer within ${timeoutMs * (retries + 1)} ms` })],
          },
        },
        on: {
          'fetch.done': { guard: 'isCurrentRequest', target: 'done', actions: [act('clearPlayback'), act('applyFetch', { fetch })] },
          'fetch.failed': { guard: 'isCurrentRequest', target: 'failed', actions: [act('clearPlayback'), act('fail', { message: 'fetch failed' })] },
          'playback.finished': { guard: 'isCurrentPlayback', actions: [act('playbackFinished')] },
        },
      },
      done: { always: [onError, goTo(scope, node.next, DEFAULTS.endReason)] },
      failed: { always: [onError] },
    },
  };
}

function transferState(scope: FlowScope, name: string, node: FlowNode & { transfer: import('../flow/types.js').TransferSpec }): Config {
  const spec = node.transfer;
  const settleMs = spec.settle === undefined ? undefined : durationMs(spec.settle, 0);
  const transfer = scope.parts.add(scope.parts.transfers, partId(scope, name, 'transfer'), { dtmf: template(spec.dtmf, scope.env), settleMs });
  return {
    entry: [act('dropTypeahead')],
    // Keys during a transfer are the caller's, not the far end's: ignored (and never forwarded).
    on: ignoreKeys(name, 'transfer in progress'),
    initial: 'prompt',
    states: {
      prompt: playThen(scope, name, node, promptPart(scope, name, spec.prompt), { target: 'sending' }),
      sending: {
        entry: [act('sendDtmf', { transfer, node: name })],
        always: [errorRoute(scope, name, node)],
        after: { [settleMs ?? 'settle']: goTo(scope, node.next, 'transferred') },
      },
    },
  };
}

function recordState(scope: FlowScope, name: string, node: FlowNode & { record: import('../flow/types.js').RecordSpec }): Config {
  const spec = node.record;
  const maxDurationMs = durationMs(spec.maxDuration, DEFAULTS.recordMaxDuration);
  const terminator = spec.terminator ?? DEFAULTS.recordTerminator;
  const answers = {
    'record.done': { guard: 'isCurrentRequest', ...goTo(scope, node.next, DEFAULTS.endReason, [act('recordDone', spec.into ? { into: spec.into } : {})]) },
    'record.failed': { guard: 'isCurrentRequest', target: 'failed', actions: [act('fail', { message: 'recording failed' })] },
  };
  return {
    entry: [act('dropTypeahead')],
    on: ignoreKeys(name, 'recording'),
    initial: 'prompt',
    states: {
      prompt: playThen(scope, name, node, promptPart(scope, name, spec.prompt), { target: 'recording' }),
      recording: {
        entry: [act('startRecord', {
          beep: spec.beep ?? DEFAULTS.recordBeep,
          maxDurationMs,
          silenceTimeoutMs: durationMs(spec.silenceTimeout, DEFAULTS.recordSilenceTimeout),
        })],
        on: {
          ...answers,
          dtmf: [{ guard: { type: 'isKey', params: { keys: terminator } }, actions: [act('stopRecord')] }, ...[ignoreKeys(name, 'recording').dtmf]],
        },
        // The runtime stops at maxDuration; if it has not, stop it ourselves and wait for its answer.
        after: { [maxDurationMs + RECORD_SAFETY_MS]: { target: 'stopping', actions: [act('stopRecord')] } },
      },
      stopping: {
        on: answers,
        after: { [RECORD_STOP_WAIT_MS]: { target: 'failed', actions: [act('fail', { message: 'recording: no answer after record.stop' })] } },
      },
      failed: { always: [errorRoute(scope, name, node)] },
    },
  };
}

function subflowState(scope: FlowScope, name: string, node: FlowNode & { subflow: import('../flow/types.js').SubflowSpec }): Config {
  const spec = node.subflow;
  const child = scope.flows.flows.get(spec.flow);
  const problem = !child ? `unknown subflow "${spec.flow}"`
    : scope.chain.includes(child.id) ? `recursive subflow "${spec.flow}" (${[...scope.chain, child.id].join(' -> ')})`
      : hasErrors(child.diagnostics) ? `subflow "${spec.flow}" has errors` : null;
  if (problem || !child) {
    // validate rejects all three; compiled anyway, the node fails at run time and goes to onError.
    return {
      initial: 'broken',
      states: { broken: { entry: [act('fail', { message: problem ?? 'subflow' })], always: [errorRoute(scope, name, node)] } },
    };
  }
  const childScope: FlowScope = {
    ...scope,
    flow: child,
    prefix: `${scope.prefix}${stateKey(name)}/`,
    env: flowEnv(child),
    envWithResponse: flowEnv(child, true),
    chain: [...scope.chain, child.id],
    parent: {
      returnTo: goTo(scope, node.next, DEFAULTS.endReason),
      output: scope.parts.add(scope.parts.assignments, partId(scope, name, 'output'),
        Object.entries(spec.output ?? {}).map(([varName, source]) => ({ name: varName, expr: expression(source, flowEnv(child)) }))),
    },
  };
  const subflow = scope.parts.add(scope.parts.subflows, partId(scope, name, 'subflow'), {
    initialVars: { ...(child.doc.vars ?? {}) },
    input: Object.entries(spec.input ?? {}).map(([varName, source]) => ({ name: varName, expr: expression(source, scope.env) })),
    flow: child.id,
  });
  return {
    initial: 'enter',
    states: {
      enter: {
        entry: [act('pushSubflow', { subflow, parentFlow: scope.flow.id })],
        always: [errorRoute(scope, name, node), { target: 'run' }],
      },
      run: { initial: stateKey(startNode(childScope)), states: nodeStates(childScope) },
    },
  };
}

function returnState(scope: FlowScope, name: string, node: FlowNode): Config {
  // In a top-level flow, `return` behaves like `end` (reason completed).
  if (!scope.parent) return { entry: [act('dropTypeahead')], initial: 'out', states: { out: { always: [{ target: ENDED, actions: [endCall(DEFAULTS.endReason)] }] } } };
  return {
    initial: 'out',
    states: {
      out: { entry: [act('popSubflow', { output: scope.parent.output })], always: [errorRoute(scope, name, node), scope.parent.returnTo] },
    },
  };
}

function endState(scope: FlowScope, name: string, spec: { prompt?: PromptSpec; reason?: string } | null): Config {
  const reason = spec?.reason ?? DEFAULTS.endReason;
  const close = { target: ENDED, actions: [endCall(reason)] };
  const prompt = promptPart(scope, name, spec?.prompt);
  return {
    entry: [act('dropTypeahead')],
    on: ignoreKeys(name, 'the call is ending'),
    initial: 'closing',
    states: {
      closing: {
        // The end prompt never barges in.
        entry: [act('play', { prompt, bargeIn: false, node: name })],
        // A failing end prompt (a bad `number`) still ends the call, with the node's reason: no onError loop.
        always: [{ guard: 'failed', target: ENDED, actions: [act('reportError', { node: name }), endCall(reason)] }, { guard: 'nothingPlaying', ...close }],
        on: { 'playback.finished': { guard: 'isCurrentPlayback', target: ENDED, actions: [act('playbackFinished'), endCall(reason)] } },
      },
    },
  };
}
