/**
 * Menu and collect nodes: play the prompt, wait for keys, decide, retry on no-input/no-match.
 *
 * Substates of both:
 *   prompt    the prompt (on a retry: handler prompt + reprompt) plays; with barge-in a key stops it and counts.
 *             Entered with typeahead, nothing plays: the keys are taken as if the caller had just typed them
 *   waiting   prompt finished: `timeout` runs until the first key (timers count from playback finished)
 *   keys      at least one key: only `interDigitTimeout` runs, restarted by every key
 *   noInput / noMatch   count the failure; at `max` go to `then`, else retry
 *
 * A key that decides takes its decision's transition at once (`keyDecides`, the same transition
 * `keys` takes when it decides later): one XState microstep per key press instead of three.
 */
import { compileRegex, NEVER_MATCHES, type LinearRegex } from '../expr/linear-regex.js';
import { DEFAULTS } from '../flow/defaults.js';
import type { CollectSpec, FailureHandler, FlowNode, MenuSpec, PromptSpec, Target } from '../flow/types.js';
import { promptItems, targetOf } from '../flow/types.js';
import { compileAssignments } from './assignments.js';
import { expression } from './expressions.js';
import { menuRules } from './menu-rules.js';
import { finalOnKey } from './key-decisions.js';
import { concatPlans, planPrompt } from './prompt-plan.js';
import { act, durationMs, errorRoute, goTo, noteKey, onKey, partId, type Config, type FlowScope, type InheritedKey, type Transition } from './routes.js';

interface InputNode {
  name: string;
  node: FlowNode;
  rules: string;
  prompt: PromptSpec | undefined;
  reprompt: PromptSpec | undefined;
  noInput: FailureHandler | undefined;
  noMatch: FailureHandler | undefined;
  sensitive: boolean;
  /** `keys`-state transitions for the decisions other than noMatch (routes may add substates). */
  decisions: Transition[];
  /** A collect with `valid`: its `ok` is final only after `valid` ran (key-decisions.ts `finalOnKey`). */
  hasValid: boolean;
  routes: Record<string, Config>;
}

export function menuState(scope: FlowScope, name: string, node: FlowNode & { menu: MenuSpec }): Config {
  const spec = node.menu;
  const options = spec.options ?? {};
  const globals = globalKeys(scope, spec.global);
  const match = (spec.match ?? []).map((rule) => regex(rule.pattern));
  const rules = scope.parts.add(scope.parts.menus, partId(scope, name, 'menu'),
    menuRules(Object.keys(options), Object.keys(globals), match, spec.maxDigits, spec.terminator));
  const input: InputNode = {
    name, node, rules, prompt: spec.prompt, reprompt: spec.reprompt, noInput: spec.noInput, noMatch: spec.noMatch,
    sensitive: false, decisions: [], hasValid: false, routes: {},
  };
  for (const [key, target] of Object.entries(options)) addRoute(scope, input, `option:${key}`, target, ['nodes', name, 'menu', 'options', key, 'set']);
  for (const [key, g] of Object.entries(globals)) if (!(key in options)) addRoute(scope, input, `global:${key}`, g.target, ['global', key, 'set'], g.declaredIn);
  (spec.match ?? []).forEach((rule, i) => addRoute(scope, input, `match:${i}`, { goto: rule.goto, set: rule.set ?? {} }, ['nodes', name, 'menu', 'match', i, 'set']));
  return inputState(scope, input);
}

export function collectState(scope: FlowScope, name: string, node: FlowNode & { collect: CollectSpec }): Config {
  const spec = node.collect;
  const globals = globalKeys(scope, spec.global);
  const rules = scope.parts.add(scope.parts.collects, partId(scope, name, 'collect'), {
    rules: {
      min: spec.min ?? DEFAULTS.collectMin,
      max: spec.max ?? Number.POSITIVE_INFINITY,
      terminator: spec.terminator ?? DEFAULTS.collectTerminator,
      pattern: spec.pattern === undefined ? null : regex(spec.pattern) ?? NEVER_MATCHES,
      globals: Object.keys(globals),
    },
    valid: spec.valid === undefined ? null : expression(spec.valid, scope.env),
    node: name,
    interDigitMs: interDigitMs(scope, node),
  });
  const sensitive = spec.sensitive ?? false;
  const input: InputNode = {
    name, node, rules, prompt: spec.prompt, reprompt: spec.reprompt, noInput: spec.noInput, noMatch: spec.noMatch,
    sensitive, decisions: [], hasValid: spec.valid !== undefined, routes: {},
  };
  input.decisions.push({
    guard: { type: 'decided', params: { is: 'ok' } },
    ...goTo(scope, node.next, DEFAULTS.endReason, [
      act('storeInput', { into: spec.into }),
      act('emitInput', { node: name, sensitive, outcome: 'match' }),
    ]),
  });
  for (const [key, g] of Object.entries(globals)) addRoute(scope, input, `global:${key}`, g.target, ['global', key, 'set'], g.declaredIn);
  return inputState(scope, input);
}

/**
 * The global keys in force in a menu/collect: none with `global: false`; else the calling flows'
 * (inherited through subflow nodes) with this flow's own winning for the same key.
 */
function globalKeys(scope: FlowScope, global: boolean | undefined): Record<string, InheritedKey> {
  if (global === false) return {};
  const own = Object.entries(scope.flow.doc.global ?? {}).map(([key, target]) => [key, { target, declaredIn: scope }] as const);
  return { ...scope.inherited, ...Object.fromEntries(own) };
}

/**
 * A decision's transition: straight to the target, or through a substate applying `set` (which may
 * fail). A calling flow's global key (`from` is that flow) first leaves the subflows in between,
 * without assigning their output; its target, `set` and onError are the calling flow's.
 */
function addRoute(scope: FlowScope, input: InputNode, decision: string, target: Target, setPath: (string | number)[], from: FlowScope = scope): void {
  const { goto, set } = targetOf(target);
  const emitInput = act('emitInput', { node: input.name, sensitive: input.sensitive, outcome: 'match' });
  const guard = { type: 'decided', params: { is: decision } };
  const frames = scope.chain.length - from.chain.length;
  const leave = frames > 0 ? [act('leaveSubflows', { frames })] : [];
  if (Object.keys(set).length === 0) {
    input.decisions.push({ guard, ...goTo(from, goto, DEFAULTS.endReason, [emitInput, ...leave]) });
    return;
  }
  const setId = scope.parts.add(scope.parts.assignments, partId(scope, input.name, `set:${decision}`),
    compileAssignments(set, from.env, from.env.vars, ...setPath));
  const routeKey = `route ${decision}`;
  const onError = frames > 0
    ? { guard: 'failed', ...goTo(from, from.flow.doc.onError, 'error', [act('reportError', { node: input.name })]) }
    : errorRoute(scope, input.name, input.node);
  input.routes[routeKey] = {
    entry: [...leave, act('assignVars', { set: setId })],
    always: [onError, goTo(from, goto, DEFAULTS.endReason)],
  };
  input.decisions.push({ guard, target: routeKey, actions: [emitInput] });
}

function inputState(scope: FlowScope, input: InputNode): Config {
  const { name, node, rules } = input;
  const settings = scope.flow.doc.settings ?? {};
  const bargeIn = node.bargeIn ?? settings.bargeIn ?? DEFAULTS.bargeIn;
  const timeout = durationMs(node.timeout ?? settings.timeout, DEFAULTS.timeout);
  const interDigit = interDigitMs(scope, node);
  const plan = (spec: PromptSpec | undefined) => planPrompt(promptItems(spec), scope.flow, scope.env, scope.parts.sensitiveVars);
  const first = plan(input.prompt);
  const again = input.reprompt === undefined ? first : plan(input.reprompt);
  const prompts = scope.parts.prompts;
  const promptId = scope.parts.add(prompts, partId(scope, name, 'prompt'), first);
  // One retry prompt per escalation step (`prompts:`), or the one `prompt`: the n-th failure plays entry n, the last repeats.
  const retries = (counter: 'noInput' | 'noMatch'): string[] => {
    const handler = input[counter];
    const steps = handler?.prompts ?? [handler?.prompt];
    return steps.map((step, i) => scope.parts.add(prompts, partId(scope, name, steps.length === 1 ? counter : `${counter}:${i + 1}`), concatPlans(plan(step), again)));
  };
  const noInputIds = retries('noInput');
  const noMatchIds = retries('noMatch');
  const onError = errorRoute(scope, name, node);
  const addKey = act('addKey', { rules });
  const decisions = [...input.decisions, { guard: { type: 'decided', params: { is: 'noMatch' } }, target: 'noMatch' }];
  /**
   * Keys, wherever the node waits for them (the prompt with barge-in, `waiting`, `keys`): one list,
   * the node's own. A key that decides takes that decision at once, with the key's actions first;
   * any other is added and `keys` is entered again (its inter-digit timer starts over). `keys`
   * takes the same decisions when they come later (typeahead, the inter-digit timeout), so a key
   * that decides at once skips it. `clearPlayback` does nothing once the prompt has stopped.
   */
  const keyActions = [noteKey(true, true), act('clearPlayback'), addKey];
  const fromNode = (target: unknown): unknown => (typeof target === 'string' && !target.startsWith('#') ? `.${target}` : target);
  const decidedByKey = decisions.flatMap((d) => {
    const is = ((d.guard as Config).params as { is: string }).is;
    if (!finalOnKey(is, input.hasValid)) return [];
    return [{ ...d, target: fromNode(d.target), guard: { type: 'keyDecides', params: { rules, is } }, actions: [...keyActions, ...((d.actions as Config[] | undefined) ?? [])] }];
  });
  const keyTransitions = onKey(...decidedByKey, { target: '.keys', actions: keyActions });

  // One prompt state for every attempt: the first plays `prompt`, a retry the handler's prompt
  // (the one for this failure's count) then the reprompt (chosen by the context's `attempt`, set when a failure is counted).
  // Typeahead skips the prompt: the keys count as if just typed, before anything plays. Run as
  // the node's entry (one action list for entering the node) and on the way back from a failure.
  const startPrompt = [act('resetKeys'), act('play', { prompt: promptId, retry: { noInput: noInputIds, noMatch: noMatchIds }, bargeIn, node: name, skipOnTypeahead: true })];
  const promptState: Config = {
    always: [
      onError,
      { guard: 'hasTypeahead', target: 'keys', actions: [act('takeTypeahead', { rules })] },
      { guard: 'nothingPlaying', target: 'waiting' },
    ],
    on: {
      'playback.finished': { guard: 'isCurrentPlayback', target: 'waiting', actions: [act('playbackFinished')] },
      // With barge-in, the node's keys (below) stop the prompt.
      ...(bargeIn ? {} : { dtmf: onKey({ actions: [noteKey(false, false), act('ignoreKey', { node: name, why: 'prompt plays without barge-in' })] }) }),
    },
  };
  const failure = (counter: 'noInput' | 'noMatch', handler: FailureHandler | undefined): Config => ({
    entry: [act('countFailure', { counter }), act('emitInput', { node: name, sensitive: input.sensitive, outcome: counter })],
    always: [
      {
        guard: { type: 'reachedMax', params: { counter, max: handler?.max ?? DEFAULTS.handlerMax } },
        // Default: the flow's onFailure node, else the call ends with reason `failed`.
        ...goTo(scope, handler?.then ?? scope.flow.doc.onFailure, 'failed'),
      },
      // Back to prompt, which takes keys typed ahead of the retry before it plays anything.
      { target: 'prompt', actions: startPrompt },
    ],
  });

  return {
    entry: startPrompt,
    on: { dtmf: keyTransitions },
    initial: 'prompt',
    states: {
      prompt: promptState,
      waiting: {
        after: { [timeout]: { target: 'noInput' } },
      },
      keys: {
        always: [onError, ...decisions],
        after: { [interDigit]: { actions: [act('decideNow', { rules })] } },
      },
      noInput: failure('noInput', input.noInput),
      noMatch: failure('noMatch', input.noMatch),
      ...input.routes,
    },
  };
}

/** How long a menu/collect waits between keys: the node's `interDigitTimeout`, else the flow's, else the default. */
function interDigitMs(scope: FlowScope, node: FlowNode): number {
  return durationMs(node.interDigitTimeout ?? scope.flow.doc.settings?.interDigitTimeout, DEFAULTS.interDigitTimeout);
}

/** Patterns run on RE2 (linear time). validate reports those that do not compile; compiled anyway, one never matches. */
function regex(pattern: string): LinearRegex | null {
  const compiled = compileRegex(pattern);
  return compiled.ok ? compiled.regex : null;
}
