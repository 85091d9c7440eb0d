import { DEFAULTS } from '../flow/defaults.js';
import { flowLanguages, spokenLanguage } from '../flow/languages.js';
import type { FlowDoc, PromptItem } from '../flow/types.js';
import { parseDuration } from '../flow/duration.js';
import type { PlayItem } from './protocol.js';
import { expression, template, type Evaluator, type ExprEnv, type ExprScope, type Renderer } from './expressions.js';
import { sayDigits, sayNumber } from './say-number.js';
import { readsSecret, shownRender } from './sensitive.js';

/**
 * A prompt compiled once: names and silences fixed, `digits`/`number` expressions evaluated at
 * play time. `secret`: the expression reads a variable holding a sensitive value (compile/sensitive.ts),
 * decided here once, so the items it speaks are marked for output to mask without any work per play.
 */
export type PromptPart =
  | { kind: 'prompt'; name: string }
  | { kind: 'silence'; ms: number }
  | { kind: 'digits'; expr: Evaluator; secret: boolean }
  | { kind: 'number'; expr: Evaluator; secret: boolean }
  /** `secretVars`: the call's, for the text's shown form (compile/sensitive.ts `shownRender` finds the parts reading one). */
  | { kind: 'say'; text: Renderer; secretVars: ReadonlySet<string> };

export interface PromptPlan {
  /** The flow whose prompts these are (a subflow's prompts resolve in the subflow's folder). */
  flow: string;
  /** The languages that flow speaks, its default first: a call in another language hears the default. */
  languages: string[];
  parts: PromptPart[];
  /** How long a `{ say }` of this flow may take to synthesize (`settings.sayTimeout`). */
  sayTimeoutMs: number;
}

/** `secretVars`: the call's variables holding a sensitive value (compile/sensitive.ts `secretVars`). */
export function planPrompt(items: PromptItem[], flow: { id: string; doc: FlowDoc }, env: ExprEnv, secretVars: ReadonlySet<string> = new Set()): PromptPlan {
  const parts: PromptPart[] = [];
  for (const item of items) {
    if (typeof item === 'string') parts.push({ kind: 'prompt', name: item });
    else if ('digits' in item) parts.push({ kind: 'digits', expr: expression(item.digits, env), secret: readsSecret(item.digits, secretVars) });
    else if ('number' in item) parts.push({ kind: 'number', expr: expression(item.number, env), secret: readsSecret(item.number, secretVars) });
    else if ('silence' in item) parts.push({ kind: 'silence', ms: parseDuration(item.silence) ?? 0 });
    else if ('say' in item) parts.push({ kind: 'say', text: template(item.say, env), secretVars });
  }
  return {
    flow: flow.id, languages: flowLanguages(flow.doc), parts,
    sayTimeoutMs: parseDuration(flow.doc.settings?.sayTimeout ?? DEFAULTS.sayTimeout) ?? DEFAULTS.sayTimeout,
  };
}

/** One plan after another (a failure handler's prompt, then the reprompt), played as one. */
export function concatPlans(first: PromptPlan, second: PromptPlan): PromptPlan {
  return { ...first, parts: [...first.parts, ...second.parts] };
}

/**
 * The items to play now. Evaluated at the moment of playing, so `{ number: balance }` says the
 * balance as it is then. Throws when an expression fails (the caller routes to onError);
 * characters `digits` cannot say are returned in `skipped` for a log line. `secrets`: the call's
 * (a `say` gets its shown form only while there is one).
 */
export function renderPrompt(plan: PromptPlan, scope: ExprScope, secrets: readonly string[] = []): { items: PlayItem[]; skipped: string; sayTimeoutMs?: number } {
  const items: PlayItem[] = [];
  let skipped = '';
  const language = spokenLanguage(plan.languages, scope.language);
  // A one-language flow's items carry no language: the store plays that flow's own.
  const speaks = plan.languages.length > 1 ? { language } : {};
  const say = (name: string) => items.push({ prompt: name, flow: plan.flow, ...speaks });
  // A value read back from a secret variable: its items say so, for output to mask (call/shown-play.ts).
  const saySecret = (name: string) => items.push({ prompt: name, flow: plan.flow, ...speaks, secret: true });
  for (const part of plan.parts) {
    switch (part.kind) {
      case 'prompt': say(part.name); break;
      case 'silence': items.push({ silenceMs: part.ms }); break;
      case 'number': {
        const value = part.expr.evaluate(scope);
        sayNumber(value, language).forEach(part.secret ? saySecret : say);
        break;
      }
      case 'say': {
        const text = String(part.text.render(scope));
        // Its masked form travels with it when it holds a secret (sensitive.ts).
        const shown = shownRender(part.text, scope, text, secrets, part.secretVars);
        items.push(shown === text ? { say: text, flow: plan.flow, ...speaks } : { say: text, flow: plan.flow, ...speaks, shown });
        break;
      }
      case 'digits': {
        const value = part.expr.evaluate(scope);
        const digits = sayDigits(value);
        digits.names.forEach(part.secret ? saySecret : say);
        skipped += digits.skipped;
        break;
      }
    }
  }
  return plan.parts.some((p) => p.kind === 'say') ? { items, skipped, sayTimeoutMs: plan.sayTimeoutMs } : { items, skipped };
}
