/**
 * Nodes that wait for the world: fetch (HTTP), transfer (DTMF tones to the far end) and record.
 * Typeahead is dropped on entering each, and keys during them are ignored (logged): they belong
 * to the caller, not to a menu.
 *
 * A fetch is an invoked `fetch` actor (XState `invoke`; fetch-actor.ts runs the call's Fetcher),
 * one per attempt: leaving the attempt's state (its answer, its timeout, the end of the call)
 * stops the actor and aborts its HTTP request. The timeout is the attempt state's `after` delay,
 * on the actor's clock (SimClock under `ivr test`). A record has a machine-side safety timer so
 * a lost answer never leaves a call hanging; the recorder's own timers always come first.
 */
import { BEEP_PROMPT, DEFAULTS } from '../flow/defaults.js';
import type { FetchSpec, FlowNode, RecordSpec, TransferSpec } from '../flow/types.js';
import { compileAssignments } from './assignments.js';
import { jsonTemplate, template } from './expressions.js';
import { ignoreKey, ignoreKeys, playThen, promptPart } from './node-parts.js';
import { act, durationMs, errorRoute, goTo, noteKey, onKey, partId, type Config, type FlowScope } from './routes.js';

/** Safety margins for answers the recorder owes: its own timers should always come first. */
const RECORD_SAFETY_MS = 2000;
const RECORD_STOP_WAIT_MS = 5000;

/**
 * How an invoke names its input in config data: the context field holding it. compile-flow.ts
 * binds it to XState's input mapper (a function is no config data).
 */
export const FETCH_INPUT = { fromContext: 'fetch' } as const;

export function fetchState(scope: FlowScope, name: string, node: FlowNode & { fetch: FetchSpec }): Config {
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
    set: compileAssignments(spec.set, scope.envWithResponse, scope.env.vars, 'nodes', name, 'fetch', 'set'),
  });
  const prompt = promptPart(scope, name, spec.prompt);
  const onError = errorRoute(scope, name, node);
  // Another attempt at once (timeouts, network errors, 5xx) while the node's `retries` last.
  const retry = { guard: { type: 'mayRetry', params: { retries } }, target: 'attempt', reenter: true };
  return {
    entry: [act('dropTypeahead')],
    on: ignoreKeys(name, 'fetch in progress'),
    initial: 'request',
    states: {
      // The wait prompt plays from here and is cleared whenever the fetch ends, whatever the outcome.
      request: {
        entry: [act('startFetch', { fetch }), act('play', { prompt, bargeIn: false, node: name })],
        always: [onError, { target: 'attempt' }],
      },
      attempt: {
        entry: [act('countAttempt')],
        invoke: {
          id: 'fetch',
          src: 'fetch',
          input: FETCH_INPUT,
          onDone: { target: 'done', actions: [act('clearPlayback'), act('fetchDone', { fetch })] },
          onError: [retry, { target: 'failed', actions: [act('clearPlayback'), act('fetchFailed', { timeoutMs })] }],
        },
        after: {
          [timeoutMs]: [retry, { target: 'failed', actions: [act('clearPlayback'), act('fetchFailed', { timeoutMs })] }],
        },
        on: {
          'playback.finished': { guard: 'isCurrentPlayback', actions: [act('playbackFinished')] },
        },
      },
      done: { always: [onError, goTo(scope, node.next, DEFAULTS.endReason)] },
      failed: { always: [onError] },
    },
  };
}

export function transferState(scope: FlowScope, name: string, node: FlowNode & { transfer: TransferSpec }): Config {
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

export function recordState(scope: FlowScope, name: string, node: FlowNode & { record: RecordSpec }): Config {
  const spec = node.record;
  const maxDurationMs = durationMs(spec.maxDuration, DEFAULTS.recordMaxDuration);
  const terminator = spec.terminator ?? DEFAULTS.recordTerminator;
  const answers = {
    'record.done': { guard: 'isCurrentRequest', ...goTo(scope, node.next, DEFAULTS.endReason, [act('recordDone', spec.into ? { into: spec.into } : {})]) },
    'record.failed': { guard: 'isCurrentRequest', target: 'failed', actions: [act('fail', { message: 'recording failed' })] },
  };
  const beep = spec.beep ?? DEFAULTS.recordBeep;
  return {
    entry: [act('dropTypeahead')],
    on: ignoreKeys(name, 'recording'),
    initial: 'prompt',
    states: {
      prompt: playThen(scope, name, node, promptPart(scope, name, spec.prompt), { target: beep ? 'beep' : 'recording' }),
      // The beep is a playback of its own: the capture and its timers start once Plivo has played
      // it (its checkpoint), or after its duration plus the playback grace when no answer comes.
      // Keys during it are ignored, as during the prompt: the recording has not started.
      ...(beep ? { beep: playThen(scope, name, node, promptPart(scope, name, BEEP_PROMPT, 'beep'), { target: 'recording' }) } : {}),
      recording: {
        entry: [act('startRecord', {
          maxDurationMs,
          silenceTimeoutMs: durationMs(spec.silenceTimeout, DEFAULTS.recordSilenceTimeout),
        })],
        on: {
          ...answers,
          dtmf: onKey({ guard: { type: 'isKey', params: { keys: terminator } }, actions: [noteKey(false, true), act('stopRecord')] }, ignoreKey(name, 'recording')),
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
