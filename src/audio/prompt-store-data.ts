import { audioWithFrame } from './convert.js';
import type { Converted } from './convert-files.js';
import { LoadedPromptStore, NO_SPEECH, type FlowPrompts } from './prompt-store.js';
import type { EncodedAudio, MediaFormat, PromptStore, TextSpeaker } from './types.js';

/** One converted prompt as it crosses threads: its bytes (a view into `PromptStoreData.buffer`) and its `playAudio` frame. */
interface AudioData {
  data: Uint8Array;
  frame: string;
}

type FlowPromptsData = Omit<FlowPrompts, 'byLanguage'> & { byLanguage: Map<string, Map<string, Map<MediaFormat, AudioData>>> };

/**
 * A loaded store as structured-cloneable data, so a store built in the reload worker thread
 * (src/ops/reload-worker.ts) serves calls from the main thread. The audio bytes are packed into
 * one `buffer` to put in `postMessage`'s transfer list (moved, not copied); audio shared by
 * several flows stays one object on both sides.
 *
 *   port.postMessage(data, [data.buffer]);   // worker
 *   const store = promptStoreFromData(data, defaultSynthesizer()); // main thread
 */
export interface PromptStoreData {
  flows: Map<string, FlowPromptsData>;
  buffer: ArrayBuffer;
}

export function promptStoreData(store: PromptStore): PromptStoreData {
  if (!(store instanceof LoadedPromptStore)) throw new Error('promptStoreData: not a store made by loadPromptStore');
  const flows = store.flows();
  const unique = new Set<EncodedAudio>();
  for (const prompts of flows.values()) for (const names of prompts.byLanguage.values()) for (const converted of names.values()) for (const audio of converted.values()) unique.add(audio);
  let size = 0;
  for (const audio of unique) size += audio.data.length;
  const buffer = new ArrayBuffer(size);
  const packed = new Map<EncodedAudio, AudioData>();
  let offset = 0;
  for (const audio of unique) {
    const data = new Uint8Array(buffer, offset, audio.data.length);
    data.set(audio.data);
    offset += audio.data.length;
    packed.set(audio, { data, frame: audio.playAudioFrame });
  }
  const convertedData = new Map<Converted, Map<MediaFormat, AudioData>>();
  const dataOf = (converted: Converted): Map<MediaFormat, AudioData> => {
    let out = convertedData.get(converted);
    if (out === undefined) {
      out = new Map([...converted].map(([format, audio]) => [format, packed.get(audio)!]));
      convertedData.set(converted, out);
    }
    return out;
  };
  const out = new Map<string, FlowPromptsData>();
  for (const [id, prompts] of flows) {
    const byLanguage = new Map([...prompts.byLanguage].map(([language, names]) => [language, new Map([...names].map(([name, c]) => [name, dataOf(c)]))]));
    out.set(id, { ...prompts, byLanguage });
  }
  return { flows: out, buffer };
}

/** The store again, on the serving thread; `speech` speaks its calls' `say` items (the process's synthesizer). */
export function promptStoreFromData(data: PromptStoreData, speech: TextSpeaker = NO_SPEECH): PromptStore {
  const audio = new Map<AudioData, EncodedAudio>();
  const converted = new Map<Map<MediaFormat, AudioData>, Converted>();
  const revive = (formats: Map<MediaFormat, AudioData>): Converted => {
    let out = converted.get(formats);
    if (out === undefined) {
      out = new Map();
      for (const [format, a] of formats) {
        let encoded = audio.get(a);
        if (encoded === undefined) {
          encoded = audioWithFrame(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength), format, a.frame);
          audio.set(a, encoded);
        }
        out.set(format, encoded);
      }
      converted.set(formats, out);
    }
    return out;
  };
  const flows = new Map<string, FlowPrompts>();
  for (const [id, prompts] of data.flows) {
    const byLanguage = new Map([...prompts.byLanguage].map(([language, names]) => [language, new Map([...names].map(([name, f]) => [name, revive(f)]))]));
    flows.set(id, { ...prompts, byLanguage });
  }
  return new LoadedPromptStore(flows, speech);
}
