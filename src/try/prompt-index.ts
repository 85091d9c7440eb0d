import { promptUsesOf } from '../audio/prompt-names.js';
import { SYSTEM_PROMPT_NAMES } from '../audio/system-set.js';
import type { MediaFormat, PromptStore } from '../audio/types.js';
import type { FlowDoc } from '../flow/types.js';

export interface KnownPrompt {
  name: string;
  text?: string | undefined;
}

/**
 * Audio carries no names over the wire: `ivr call --url --flows dir` names a `playAudio` frame
 * by finding its payload among the prompts these flows can play (converted as the server
 * converts them), system prompts included. The first flow's name wins for shared audio.
 */
export function promptIndex(store: PromptStore, flows: Iterable<{ id: string; doc: FlowDoc }>, format: MediaFormat): Map<string, KnownPrompt> {
  const index = new Map<string, KnownPrompt>();
  for (const flow of flows) {
    for (const name of [...promptUsesOf(flow.doc).names.keys(), ...SYSTEM_PROMPT_NAMES]) {
      const audio = store.get(flow.id, name, format);
      if (audio && !index.has(audio.base64)) index.set(audio.base64, { name, text: store.text(flow.id, name) });
    }
  }
  return index;
}
