/**
 * What output may show of a play: the one rule for logs, call records and `ivr test`'s
 * transcripts and `expect: play`. An item that speaks a value (a system prompt other than the
 * beep: digits and numbers, in any language's set) is shown as `#`, one per run: in logs and
 * records always, since a value read back may be caller data; in tests when its expression
 * reads a variable holding a sensitive value (the prompt plan marks those items `secret`:
 * compile/sensitive.ts, compile/prompt-plan.ts), since a test otherwise names the prompts a value produced
 * (flow-tests.md). A `{ say }` is `say` in logs and records, its text with secrets masked
 * (`shown`) in tests.
 *
 * @example
 *   describePlay([{ prompt: 'you_entered', flow: 'f' }, { prompt: 'digit-4', flow: 'f', secret: true }, { prompt: 'digit-2', flow: 'f', secret: true }], 'tests')
 *   // ['you_entered', '#']
 */
import { isSystemPromptName } from '../audio/system-set.js';
import type { PlayItem } from '../compile/protocol.js';
import { BEEP_PROMPT } from '../flow/defaults.js';

/** How a spoken value is shown. */
export const SPOKEN_VALUE = '#';

/** `logs`: logs and call records; `tests`: `ivr test` (prompt names, silences with their length, say texts). */
export type PlayDetail = 'logs' | 'tests';

/** Each item as shown, with the item it shows (a run of spoken values is its first item). */
export function shownPlay(items: readonly PlayItem[], detail: PlayDetail): { name: string; item: PlayItem }[] {
  const out: { name: string; item: PlayItem }[] = [];
  for (const item of items) {
    const name = shownItem(item, detail);
    if (name === SPOKEN_VALUE && out.at(-1)?.name === SPOKEN_VALUE) continue;
    out.push({ name, item });
  }
  return out;
}

/** The names `shownPlay` gives. */
export function describePlay(items: readonly PlayItem[], detail: PlayDetail = 'logs'): string[] {
  return shownPlay(items, detail).map((shown) => shown.name);
}

function shownItem(item: PlayItem, detail: PlayDetail): string {
  if ('prompt' in item) return item.secret === true || (detail === 'logs' && speaksValue(item.prompt)) ? SPOKEN_VALUE : item.prompt;
  // A `say`'s text is a value of the call (an appointment, a name): in logs, never its words.
  if ('say' in item) return detail === 'logs' ? 'say' : sayLabel(item.shown ?? item.say);
  return detail === 'logs' ? 'silence' : `silence-${item.silenceMs}ms`;
}

/** A `{ say }` as tests name it in a play (`expect: play` writes `{ say: text }`). */
export function sayLabel(text: string): string {
  return `say: ${text}`;
}

/** System prompts other than the beep speak a value (digits, numbers, in any language's set). */
function speaksValue(prompt: string): boolean {
  return prompt !== BEEP_PROMPT && isSystemPromptName(prompt);
}
