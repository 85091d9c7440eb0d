/**
 * Keys into the current menu or collect: each key goes through the node's rules (menu-rules.ts,
 * collect-rules.ts) until they decide; keys after a decision stay typeahead for the next node.
 * A decided collect has its `valid` expression checked here (it needs the call's scope).
 */
import { scopeOf, type CallContext, type CallTime } from './call-context.js';
import { collectInput, decideCollect } from './collect-rules.js';
import { errorMessage } from './expressions.js';
import { decideMenu, menuInput } from './menu-rules.js';
import { part, type Parts } from './parts.js';
import type { Step } from './step.js';

/**
 * Keys a call holds at most: a menu's or collect's input (at this many keys it decides as if the
 * inter-digit timeout had passed, so a collect with no `max` cannot grow without end) and its
 * typeahead (further keys are dropped). Real inputs (a card number: 19 keys) are far shorter.
 */
export const MAX_HELD_KEYS = 128;

/**
 * Whether the decision `decisionOnKey` gives for one more key is the one `take` reaches: `finish`
 * changes only a collect's `ok`, when it has `valid` (which may turn it into noMatch or an error).
 * input-states.ts takes a final decision in the key's own transition; the others wait for `keys`.
 */
export function finalOnKey(decision: string, collectHasValid: boolean): boolean {
  return !(collectHasValid && decision === 'ok');
}

export type KeyDecisions = ReturnType<typeof makeKeyDecisions>;

/**
 * The key decisions of a flow version's compiled parts. implementations.ts `machineSetup` makes one
 * and gives it to both the `keyDecides` guard and the actions, so they share the last answer. Not
 * looked up in a WeakMap keyed by the parts: its values, closures over the parts, lived through the
 * young generation's collections after the reload worker let a machine go (own-effects.ts).
 */
export function makeKeyDecisions(parts: Parts) {
  const decide = (keys: string, rulesId: string, final: boolean): string | null => {
    const menu = parts.menus.get(rulesId);
    if (menu) return decideMenu(menu, keys, final);
    return decideCollect(part(parts.collects, rulesId).rules, keys, final);
  };

  /** Normalises `input` to the keys the decision used and runs `valid` for a collect. */
  const finish = (context: CallContext, decision: string | null, rulesId: string, typeahead: string, time: CallTime): Step => {
    const assign: Partial<CallContext> = { input: context.input, typeahead, decision };
    if (decision === null) return { assign };
    const menu = parts.menus.get(rulesId);
    if (menu) return { assign: { ...assign, input: menuInput(menu, context.input) } };
    const plan = part(parts.collects, rulesId);
    const input = decision.startsWith('global:') ? context.input : collectInput(plan.rules, context.input);
    assign.input = input;
    const { terminator } = plan.rules;
    if (!decision.startsWith('global:') && terminator !== '' && input === context.input && input.length >= plan.rules.max) {
      // Ended on `max` digits: a terminator typed next still belongs to this collect (flow-language v1.1).
      if (typeahead.startsWith(terminator)) assign.typeahead = typeahead.slice(terminator.length);
      else assign.terminatorGrace = { key: terminator, until: time.now() + plan.interDigitMs, node: plan.node, masked: context.keys === 'all' };
    }
    if (decision === 'ok' && plan.valid) {
      try {
        if (plan.valid.evaluate(scopeOf({ ...context, input }, time)) !== true) assign.decision = 'noMatch';
      } catch (error) {
        return { assign: { ...assign, decision: null, error: `valid: ${errorMessage(error)}` } };
      }
    }
    return { assign };
  };

  /**
   * The decision on `input`, a key longer than before: at MAX_HELD_KEYS keys, as if the
   * inter-digit timeout had passed. A function of the keys and the rules alone, so the last answer
   * is kept: a key is asked about by each of a menu's decisions in turn (the `keyDecides` guard),
   * then taken (`addKey`), and all of them get this one answer.
   */
  let lastInput: string | undefined;
  let lastRules = '';
  let lastAnswer: string | null = null;
  const decideGrown = (input: string, rulesId: string): string | null => {
    if (input !== lastInput || rulesId !== lastRules) {
      lastAnswer = decide(input, rulesId, input.length >= MAX_HELD_KEYS);
      lastInput = input;
      lastRules = rulesId;
    }
    return lastAnswer;
  };

  return {
    /** Adds `keys` one at a time to the keys so far, stopping at the first decision. */
    take(context: CallContext, keys: string, rulesId: string, time: CallTime): Step {
      let input = context.input;
      let rest = keys;
      let decision: string | null = null;
      while (rest !== '' && decision === null) {
        input += rest[0];
        rest = rest.slice(1);
        decision = decideGrown(input, rulesId);
      }
      return finish({ ...context, input }, decision, rulesId, rest, time);
    },
    /**
     * The decision `take` reaches on one more key, before a collect's `valid` (which needs the
     * call's time): what the `keyDecides` guard asks. Menus' decisions are final; a collect's `ok` is
     * final only without `valid` (input-states.ts only asks then).
     */
    decisionOnKey(context: CallContext, key: string, rulesId: string): string | null {
      return decideGrown(context.input + key, rulesId);
    },
    /** The inter-digit timeout passed: decide on the keys there are. */
    decideNow(context: CallContext, rulesId: string, time: CallTime): Step {
      return finish(context, decide(context.input, rulesId, true), rulesId, context.typeahead, time);
    },
  };
}
