import { promptUsesOf } from '../audio/prompt-names.js';
import { SYSTEM_PROMPT_NAMES } from '../audio/system-set.js';
import type { MediaFormat, PromptStore } from '../audio/types.js';
import type { FlowDoc } from '../flow/types.js';
import { describePlay } from '../call/shown-play.js';

export interface KnownPrompt {
  name: string;
  text?: string | undefined;
}

/**
 * Audio carries no names over the wire: `ivr call --url --flows dir` names a `playAudio` frame
 * by finding its payload among the prompts these flows can play (converted as the server
 * converts them), system prompts included. The first flow's name wins for shared audio. A
 * system prompt that speaks a value (a digit, a number) is named `#` without its text: the
 * frames do not say whether the value was a secret (call/shown-play.ts).
 */
export function promptIndex(store: PromptStore, flows: Iterable<{ id: string; doc: FlowDoc }>, format: MediaFormat): Map<string, KnownPrompt> {
  const index = new Map<string, KnownPrompt>();
  for (const flow of flows) {
    for (const name of [...promptUsesOf(flow.doc).names.keys(), ...SYSTEM_PROMPT_NAMES]) {
      const audio = store.get(flow.id, name, format);
      if (!audio || index.has(audio.base64)) continue;
      // What plays carries no mark of a secret: a prompt that speaks a value is `#`, as logs show it.
      const shown = describePlay([{ prompt: name, flow: flow.id }], 'logs')[0] ?? name;
      index.set(audio.base64, shown === name ? { name, text: store.text(flow.id, name) } : { name: shown });
    }
  }
  return index;
}
