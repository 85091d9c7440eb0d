/**
 * What the machine does, as pure functions of (context, event, params, now) returning a context patch
 * and the commands to emit. `implementations.ts` binds them to XState; the config names them with
 * JSON params. No function here throws: evaluation failures become `error`, routed to onError.
 */
import { DEFAULTS } from '../flow/defaults.js';
import { onlyDtmfKeys } from '../flow/dtmf-keys.js';
import type { CallContext } from './call-context.js';
import { scopeOf, type CallTime } from './call-context.js';
import { checked } from './assignments.js';
import { errorMessage } from './expressions.js';
import { MAX_HELD_KEYS, makeKeyDecisions, type KeyDecisions } from './key-decisions.js';
import { part, type Assignment, type Parts } from './parts.js';
import { renderPrompt } from './prompt-plan.js';
import { splitBucket, splitCase } from './split-bucket.js';
import { MASK, heldSecrets, maskValues, shownKey, shownRender, withSecret, type KeyMasking } from './sensitive.js';
import type { NodeKind } from '../flow/types.js';
import type { Command, FetchResponse, MachineEvent } from './protocol.js';
import { failedAttempt, timedOut } from './fetch-failure.js';
import type { Step } from './step.js';
import { LANGUAGE_VAR } from '../flow/languages.js';

export type { Step } from './step.js';

/** What XState delivers from the invoked `fetch` actor (io-states.ts): its answer, or why it failed. */
export type FetchActorEvent =
  | { type: 'xstate.done.actor.fetch'; output: FetchResponse }
  | { type: 'xstate.error.actor.fetch'; error: unknown };

/** Any event an action may see: the protocol's and the fetch actor's (and the timers' events, own-effects.ts, which actions do not read). */
export type AnyEvent = MachineEvent | FetchActorEvent;

/** `time`: the call's clock (the actor's: call-context.ts `timeOf`), read only by the actions that need the time. */
type Action<P> = (context: CallContext, event: AnyEvent, params: P, time: CallTime) => Step;

/**
 * Evaluates assignments in order, each seeing the results before it; returns the new vars and
 * the call's language (`language` is built in: it belongs to the call, not to the scope's vars).
 * @throws Error when `language` is set to one the call's flow does not speak.
 */
function applyAssignments(context: CallContext, list: Assignment[], time: CallTime, response?: FetchResponse): Pick<CallContext, 'vars' | 'language'> {
  let vars = context.vars;
  let language = context.language;
  for (const assignment of list) {
    const value = assignment.expr.evaluate(scopeOf({ ...context, vars, language }, time, response));
    if (assignment.name === LANGUAGE_VAR) language = checkedLanguage(value, context.languages);
    else vars = { ...vars, [assignment.name]: checked(assignment, value) };
  }
  return { vars, language };
}

function checkedLanguage(value: unknown, languages: readonly string[]): string {
  if (typeof value === 'string' && languages.includes(value)) return value;
  throw new Error(`language ${JSON.stringify(value)} is not one of the flow's languages (${languages.join(', ')})`);
}

/** The retry prompt for the n-th failure (1-based): entry n, the last one once they run out (VoiceXML's `count`). */
const escalated = (steps: string[], failures: number): string => steps[Math.min(Math.max(failures, 1), steps.length) - 1]!;

/** Any other key than the terminator ends a collect's claim on the next key (unless this key started a new claim). */
function graceEnds(context: CallContext, step: Step): Step {
  if (context.terminatorGrace === null || (step.assign && 'terminatorGrace' in step.assign)) return step;
  return { ...step, assign: { ...step.assign, terminatorGrace: null } };
}

const keyOf = (event: AnyEvent): string => (event.type === 'dtmf' ? event.digit : '');

type FetchedCommand = Extract<Command, { type: 'fetched' }>;

/** The `fetched` command for the fetch in progress. */
function fetched(context: CallContext, fetch: NonNullable<CallContext['fetch']>, outcome: FetchedCommand['outcome'], status: number | undefined, time: CallTime): FetchedCommand {
  const command: FetchedCommand = {
    type: 'fetched', requestId: context.requestId, method: fetch.request.method, url: fetch.shown, outcome,
    ms: time.now() - fetch.startedAt, attempts: context.fetchAttempts,
  };
  if (status !== undefined) command.status = status;
  return command;
}

export function makeActions(parts: Parts, keys: KeyDecisions = makeKeyDecisions(parts)) {
  const actions = {
    /** Every node entry is announced first; a visit starts with fresh counters and no keys. */
    enterNode: ((_context, _event, params) => ({
      assign: { noInput: 0, noMatch: 0, attempt: 'first', input: '', decision: null, node: params.path, keys: params.keys },
      emit: [{ type: 'node', node: params.path, name: params.node, flow: params.flow, kind: params.kind, sensitive: params.keys === 'all' }],
    })) as Action<{ node: string; path: string; flow: string; kind: NodeKind; keys: KeyMasking }>,

    /**
     * Announces the key being handled, masked as sensitive.ts decides: `taken` when the node's
     * own menu/collect takes it, `acted` when the node responds to it at all.
     */
    noteKey: ((context, event, params) => {
      const key = shownKey(keyOf(event), context.keys, params.taken);
      return { emit: [{ type: 'key', key, node: context.node, sensitive: key !== keyOf(event) || context.keys === 'all', acted: params.acted }] };
    }) as Action<{ taken: boolean; acted: boolean }>,

    play: ((context, _event, params, time) => {
      // An error already waiting (a fetch that could not be built) means the node is leaving: play nothing.
      if (context.error !== null) return { assign: { playing: null } };
      // A barge-in prompt is skipped when the caller has already typed ahead: they are past it.
      if (params.skipOnTypeahead && context.typeahead !== '') return { assign: { playing: null } };
      let rendered;
      try {
        const prompt = context.attempt !== 'first' && params.retry ? escalated(params.retry[context.attempt], context[context.attempt]) : params.prompt;
        rendered = renderPrompt(part(parts.prompts, prompt), scopeOf(context, time), context.secrets);
      } catch (error) {
        return { assign: { playing: null, error: `prompt: ${errorMessage(error)}` } };
      }
      const emit: Command[] = [];
      if (rendered.skipped !== '') {
        emit.push({ type: 'log', level: 'warn', node: params.node, message: `digits: skipped ${rendered.skipped.length} character(s) that are not digits` });
      }
      if (rendered.items.length === 0) return { assign: { playing: null }, emit };
      const playbackId = context.lastPlaybackId + 1;
      const play: Command = { type: 'play', playbackId, items: rendered.items, bargeIn: params.bargeIn };
      if (rendered.sayTimeoutMs !== undefined) play.sayTimeoutMs = rendered.sayTimeoutMs;
      emit.push(play);
      return { assign: { playing: playbackId, lastPlaybackId: playbackId }, emit };
    }) as Action<{ prompt: string; retry?: { noInput: string[]; noMatch: string[] }; bargeIn: boolean; node: string; skipOnTypeahead?: boolean }>,

    /** A `{ say }` of the playback the node waits for failed: the node's `failed` route takes it to onError. */
    sayFailed: ((context, event) => {
      if (event.type !== 'say.failed' || event.playbackId !== context.playing) return {};
      return { assign: { playing: null, error: `say: ${event.message}` } };
    }) as Action<undefined>,

    /** A new attempt at a menu/collect starts with no keys. */
    resetKeys: (() => ({ assign: { input: '', decision: null } })) as Action<undefined>,

    log: ((context, _event, params) => ({ emit: [{ type: 'log', level: params.level, node: context.node || params.node, message: params.message }] })) as Action<{ level: 'info' | 'warn' | 'error'; node: string; message: string }>,

    playbackFinished: (() => ({ assign: { playing: null } })) as Action<undefined>,

    /** Stops our prompt if it is still playing (barge-in, fetch answered): one `clear` per playback. */
    clearPlayback: ((context) => (context.playing === null ? {} : { assign: { playing: null }, emit: [{ type: 'clear' }] })) as Action<undefined>,

    addKey: ((context, event, params, time) => graceEnds(context, keys.take(context, keyOf(event), params.rules, time))) as Action<{ rules: string }>,

    /** A menu/collect entered with typeahead starts as if the caller had typed the keys now. */
    takeTypeahead: ((context, _event, params, time) => keys.take({ ...context, input: '' }, context.typeahead, params.rules, time)) as Action<{ rules: string }>,

    /** The inter-digit timeout passed: decide on the keys there are. */
    decideNow: ((context, _event, params, time) => keys.decideNow(context, params.rules, time)) as Action<{ rules: string }>,

    addTypeahead: ((context, event) =>
      graceEnds(context, context.typeahead.length >= MAX_HELD_KEYS ? {} : { assign: { typeahead: context.typeahead + keyOf(event) } })) as Action<undefined>,

    /** The terminator right after a collect filled `max`: it was that collect's, so nothing else sees it. */
    consumeTerminator: ((context, event) => {
      // Shown as the collect it belongs to would show it (sensitive.ts): a sensitive one masks every key it takes.
      const masked = context.terminatorGrace?.masked === true;
      return {
        assign: { terminatorGrace: null },
        emit: [
          { type: 'key', key: shownKey(keyOf(event), masked ? 'all' : 'none', true), node: context.node, sensitive: masked, acted: true },
          { type: 'log', level: 'info', node: context.terminatorGrace?.node ?? '', message: 'terminator after max digits: consumed by the collect' },
        ],
      };
    }) as Action<undefined>,

    dropTypeahead: (() => ({ assign: { typeahead: '' } })) as Action<undefined>,

    ignoreKey: ((context, _event, params) => graceEnds(context, {
      // The key itself is not in this line: the `key` command shows it, masked as sensitive.ts says.
      emit: [{ type: 'log', level: 'info', node: context.node, message: `key ignored: ${params.why}` }],
    })) as Action<{ node: string; why: string }>,

    countFailure: ((context, _event, params) => ({ assign: { [params.counter]: context[params.counter] + 1, attempt: params.counter } })) as Action<{ counter: 'noInput' | 'noMatch' }>,

    /** The decision, with the value masked in a sensitive collect (whose stored value becomes one of the call's secrets). */
    emitInput: ((context, _event, params) => {
      const edge = params.outcome === 'match' ? context.decision ?? 'ok' : params.outcome;
      const value = params.sensitive && context.input !== '' ? MASK : context.input;
      const emit: Command[] = [{ type: 'input', node: context.node, value, sensitive: params.sensitive, outcome: params.outcome, edge }];
      if (!params.sensitive || edge !== 'ok') return { emit };
      return { assign: { secrets: withSecret(context.secrets, context.input) }, emit };
    }) as Action<{ node: string; sensitive: boolean; outcome: 'match' | 'noMatch' | 'noInput' }>,

    assignVars: ((context, _event, params, time) => {
      try {
        return { assign: applyAssignments(context, part(parts.assignments, params.set), time) };
      } catch (error) {
        return { assign: { error: `set: ${errorMessage(error)}` } };
      }
    }) as Action<{ set: string }>,

    storeInput: ((context, _event, params) => ({ assign: { vars: { ...context.vars, [params.into]: context.input } } })) as Action<{ into: string }>,

    evalBranch: ((context, _event, params, time) => {
      const cases = part(parts.branches, params.branch);
      try {
        const scope = scopeOf(context, time);
        const index = cases.findIndex((cond) => cond === null || cond.evaluate(scope) === true);
        if (index < 0) return { assign: { error: 'branch: no case holds and there is no default case' } };
        return { assign: { decision: `case:${index}` } };
      } catch (error) {
        return { assign: { error: `branch: ${errorMessage(error)}` } };
      }
    }) as Action<{ branch: string }>,

    evalSplit: ((context, _event, params) => {
      const bucket = splitBucket(context.call.callId);
      const index = splitCase(params.percents.map((p) => p ?? undefined), bucket);
      if (index < 0) return { assign: { error: `split: bucket ${bucket} of this call falls in no case (the percents add up to less than 100 and no case takes the rest)` } };
      return { assign: { decision: `case:${index}` }, emit: [{ type: 'log', level: 'info', node: params.node, message: `split: bucket ${bucket} takes case ${index + 1}` }] };
    }) as Action<{ percents: (number | null)[]; node: string }>,

    startFetch: ((context, _event, params, time) => {
      const plan = part(parts.fetches, params.fetch);
      try {
        const scope = scopeOf(context, time);
        const url = String(plan.url.render(scope, { urlEncode: true }));
        const shown = shownRender(plan.url, scope, url, context.secrets, parts.sensitiveVars, { urlEncode: true });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries((plan.headers?.render(scope) ?? {}) as Record<string, unknown>)) headers[k] = String(v);
        const requestId = context.requestId + 1;
        const rendered = { method: plan.method, url, headers, timeoutMs: plan.timeoutMs, retries: plan.retries };
        const body = plan.body?.render(scope);
        const request = body === undefined ? rendered : { ...rendered, body };
        return {
          assign: { requestId, fetch: { request, shown, startedAt: time.now() }, fetchAttempts: 0 },
          emit: [{ type: 'fetch', requestId, request, shown }],
        };
      } catch (error) {
        return { assign: { error: `fetch: ${errorMessage(error)}` } };
      }
    }) as Action<{ fetch: string }>,

    countAttempt: ((context) => ({ assign: { fetchAttempts: context.fetchAttempts + 1 } })) as Action<undefined>,

    /** The answer: announced, then the node's `set` evaluated over `response`. */
    fetchDone: ((context, event, params, time) => {
      if (event.type !== 'xstate.done.actor.fetch' || context.fetch === null) return {};
      const response = event.output;
      const emit: Command[] = [fetched(context, context.fetch, 'ok', response.status, time)];
      try {
        return { assign: { fetch: null, ...applyAssignments(context, part(parts.fetches, params.fetch).set, time, response) }, emit };
      } catch (error) {
        return { assign: { fetch: null, error: `fetch set: ${errorMessage(error)}` }, emit };
      }
    }) as Action<{ fetch: string }>,

    /** The last attempt failed (or timed out): announced, and routed to onError by the next `failed` guard. */
    fetchFailed: ((context, event, params, time) => {
      const failure = event.type === 'xstate.error.actor.fetch' ? failedAttempt(event.error) : timedOut(params.timeoutMs);
      const detail = `${failure.kind}${failure.status ? ` ${failure.status}` : ''}: ${failure.message}`;
      const emit: Command[] = context.fetch === null ? [] : [fetched(context, context.fetch, failure.kind, failure.status, time)];
      return { assign: { fetch: null, error: `fetch failed: ${detail}` }, emit };
    }) as Action<{ timeoutMs: number }>,

    /** A failure reported by the runtime or a safety timer, routed to onError by the next `failed` guard. */
    fail: ((_context, event, params) => {
      const detail = event.type === 'record.failed' ? event.message : '';
      return { assign: { error: detail ? `${params.message}: ${detail}` : params.message } };
    }) as Action<{ message: string }>,

    sendDtmf: ((context, _event, params, time) => {
      const plan = part(parts.transfers, params.transfer);
      let text: string;
      let shown: string;
      try {
        const scope = scopeOf(context, time);
        text = String(plan.dtmf.render(scope));
        shown = onlyDtmfKeys(shownRender(plan.dtmf, scope, text, context.secrets, parts.sensitiveVars));
      } catch (error) {
        return { assign: { error: `transfer dtmf: ${errorMessage(error)}` } };
      }
      // Only real DTMF leaves the engine: a variable can never smuggle other characters to the PBX.
      const digits = onlyDtmfKeys(text);
      const emit: Command[] = [];
      if (digits.length !== text.length) {
        emit.push({ type: 'log', level: 'warn', node: params.node, message: `transfer dtmf: dropped ${text.length - digits.length} character(s) that are not DTMF` });
      }
      if (digits !== '') emit.push({ type: 'sendDtmf', digits, shown });
      return { assign: { settleMs: plan.settleMs ?? DEFAULTS.settlePerTone * digits.length }, emit };
    }) as Action<{ transfer: string; node: string }>,

    startRecord: ((context, _event, params) => {
      const requestId = context.requestId + 1;
      return {
        assign: { requestId, stopSent: false },
        emit: [{ type: 'record.start', requestId, maxDurationMs: params.maxDurationMs, silenceTimeoutMs: params.silenceTimeoutMs }],
      };
    }) as Action<{ maxDurationMs: number; silenceTimeoutMs: number }>,

    stopRecord: ((context) => graceEnds(context, context.stopSent ? {} : { assign: { stopSent: true }, emit: [{ type: 'record.stop', requestId: context.requestId }] })) as Action<undefined>,

    recordDone: ((context, event, params) => {
      if (event.type !== 'record.done' || !params.into) return {};
      return { assign: { vars: { ...context.vars, [params.into]: event.path } } };
    }) as Action<{ into?: string }>,

    pushSubflow: ((context, _event, params, time) => {
      const plan = part(parts.subflows, params.subflow);
      try {
        const scope = scopeOf(context, time);
        const childVars: Record<string, unknown> = { ...plan.initialVars };
        for (const a of plan.input) childVars[a.name] = checked(a, a.expr.evaluate(scope));
        return { assign: { stack: [...context.stack, { vars: context.vars, flow: params.parentFlow }], vars: childVars } };
      } catch (error) {
        return { assign: { error: `subflow input: ${errorMessage(error)}` } };
      }
    }) as Action<{ subflow: string; parentFlow: string }>,

    /** A calling flow's global key was taken: back to that flow's variables, the subflows' output unassigned. */
    leaveSubflows: ((context, _event, params) => {
      const keep = context.stack.length - params.frames;
      const frame = context.stack[keep];
      if (keep < 0 || !frame) return {};
      return { assign: { vars: frame.vars, stack: context.stack.slice(0, keep) } };
    }) as Action<{ frames: number }>,

    popSubflow: ((context, _event, params, time) => {
      const frame = context.stack[context.stack.length - 1];
      if (!frame) return {};
      try {
        const scope = scopeOf(context, time);
        const vars = { ...frame.vars };
        for (const a of part(parts.assignments, params.output)) vars[a.name] = checked(a, a.expr.evaluate(scope));
        return { assign: { vars, stack: context.stack.slice(0, -1) } };
      } catch (error) {
        return { assign: { error: `subflow output: ${errorMessage(error)}` } };
      }
    }) as Action<{ output: string }>,

    /** The error goes to the log masked: a CEL message may quote a value typed into a sensitive collect, one computed from it, or an env value. */
    reportError: ((context, _event, params) => {
      const typed = context.keys === 'all' ? [context.input] : [];
      const message = maskValues(context.error ?? 'error', [...heldSecrets(context.secrets, parts.sensitiveVars, context.vars, context.stack), ...typed, ...Object.values(context.env)]);
      return { assign: { error: null, decision: null }, emit: [{ type: 'log', level: 'error', node: context.node || params.node, message }] };
    }) as Action<{ node: string }>,

    endCall: ((_context, _event, params) => ({ emit: [{ type: 'end', reason: params.reason }] })) as Action<{ reason: string }>,
  };
  return actions;
}

export type ActionTable = ReturnType<typeof makeActions>;
