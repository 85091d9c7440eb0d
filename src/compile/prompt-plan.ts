import type { PromptItem } from '../flow/types.js';
import { parseDuration } from '../flow/duration.js';
import type { PlayItem } from './protocol.js';
import { expression, type Evaluator, type ExprEnv, type ExprScope } from './expressions.js';
import { sayDigits, sayNumber } from './say-number.js';

/** A prompt compiled once: names and silences fixed, `digits`/`number` expressions evaluated at play time. */
export type PromptPart =
  | { kind: 'prompt'; name: string }
  | { kind: 'silence'; ms: number }
  | { kind: 'digits'; expr: Evaluator }
  | { kind: 'number'; expr: Evaluator };

export interface PromptPlan {
  /** The flow whose prompts these are (a subflow's prompts resolve in the subflow's folder). */
  flow: string;
  parts: PromptPart[];
}

export function planPrompt(items: PromptItem[], flow: string, env: ExprEnv): PromptPlan {
  const parts: PromptPart[] = [];
  for (const item of items) {
    if (typeof item === 'string') parts.push({ kind: 'prompt', name: item });
    else if ('digits' in item) parts.push({ kind: 'digits', expr: expression(item.digits, env) });
    else if ('number' in item) parts.push({ kind: 'number', expr: expression(item.number, env) });
    else if ('silence' in item) parts.push({ kind: 'silence', ms: parseDuration(item.silence) ?? 0 });
  }
  return { flow, parts };
}

/** One plan after another (a failure handler's prompt, then the reprompt), played as one. */
export function concatPlans(first: PromptPlan, second: PromptPlan): PromptPlan {
  return { flow: first.flow, parts: [...first.parts, ...second.parts] };
}

/**
 * The items to play now. Evaluated at the moment of playing, so `{ number: balance }` says the
 * balance as it is then. Throws when an expression fails (the caller routes to onError);
 * characters `digits` cannot say are returned in `skipped` for a log line.
 */
export function renderPrompt(plan: PromptPlan, scope: ExprScope): { items: PlayItem[]; skipped: string } {
  const items: PlayItem[] = [];
  let skipped = '';
  const say = (name: string) => items.push({ prompt: name, flow: plan.flow });
  for (const part of plan.parts) {
    switch (part.kind) {
      case 'prompt': say(part.name); break;
      case 'silence': items.push({ silenceMs: part.ms }); break;
      case 'number': sayNumber(part.expr.evaluate(scope)).forEach(say); break;
      case 'digits': {
        const digits = sayDigits(part.expr.evaluate(scope));
        digits.names.forEach(say);
        skipped += digits.skipped;
        break;
      }
    }
  }
  return { items, skipped };
}
