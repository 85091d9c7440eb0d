/** Pieces several node kinds share: a node's prompt part, a no-barge-in prompt before a step, ignored keys. */
import { promptItems, type FlowNode, type PromptSpec } from '../flow/types.js';
import { planPrompt } from './prompt-plan.js';
import { act, errorRoute, noteKey, onKey, partId, type Config, type FlowScope } from './routes.js';

export const ignoreKey = (name: string, why: string): Config => ({ actions: [noteKey(false, false), act('ignoreKey', { node: name, why })] });
export const ignoreKeys = (name: string, why: string): Config => ({ dtmf: onKey(ignoreKey(name, why)) });

export function promptPart(scope: FlowScope, name: string, spec: PromptSpec | undefined, what = 'prompt'): string {
  return scope.parts.add(scope.parts.prompts, partId(scope, name, what), planPrompt(promptItems(spec), scope.flow, scope.env, scope.parts.sensitiveVars));
}

/** A substate playing `prompt` without barge-in, then going to `then` (keys are ignored by the node). */
export function playThen(scope: FlowScope, name: string, node: FlowNode, prompt: string, then: Config): Config {
  return {
    entry: [act('play', { prompt, bargeIn: false, node: name })],
    always: [errorRoute(scope, name, node), { guard: 'nothingPlaying', ...then }],
    on: { 'playback.finished': { guard: 'isCurrentPlayback', ...then, actions: [act('playbackFinished'), ...((then.actions as Config[] | undefined) ?? [])] } },
  };
}

