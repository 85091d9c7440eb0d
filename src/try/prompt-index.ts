import { promptUsesOf } from '../audio/prompt-names.js';
import { systemPromptWords } from '../audio/system-set.js';
import type { MediaFormat, PromptStore } from '../audio/types.js';
import type { FlowDoc } from '../flow/types.js';
import { describePlay, SPOKEN_VALUE } from '../call/shown-play.js';

export interface KnownPrompt {
  name: string;
  text?: string | undefined;
}

/**
 * Audio carries no names over the wire: `ivr call --url --flows dir` names a `playAudio` frame
 * by finding its payload among the prompts these flows can play (converted as the server
 * converts them), in every language the store holds for each flow, system prompts included.
 * A system prompt that speaks a value (a digit, a number) is named `#` without its text: the
 * frames do not say whether the value was a secret (call/shown-play.ts). Shared audio keeps the
 * first name found, except that `#` always wins: a flow prompt whose file is a copy of a digit's
 * must not name the digit.
 */
export function promptIndex(store: PromptStore, flows: Iterable<{ id: string; doc: FlowDoc }>, format: MediaFormat): Map<string, KnownPrompt> {
  const index = new Map<string, KnownPrompt>();
  for (const flow of flows) {
    const own = [...promptUsesOf(flow.doc).names.keys()];
    for (const language of store.languages(flow.id)) {
      for (const name of [...own, ...systemPromptWords(language).keys()]) {
        const audio = store.get(flow.id, name, format, language);
        if (!audio) continue;
        // What plays carries no mark of a secret: a prompt that speaks a value is `#`, as logs show it.
        const shown = describePlay([{ prompt: name, flow: flow.id }], 'logs')[0] ?? name;
        const known = index.get(audio.base64);
        if (known !== undefined && (known.name === SPOKEN_VALUE || shown !== SPOKEN_VALUE)) continue;
        index.set(audio.base64, shown === name ? { name, text: store.text(flow.id, name, language) } : { name: shown });
      }
    }
  }
  return index;
}
