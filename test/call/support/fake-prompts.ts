import { encodedAudio } from '../../../src/audio/convert.js';
import type { EncodedAudio, MediaFormat, PromptStore } from '../../../src/audio/types.js';

const BYTES_PER_MS: Record<MediaFormat, number> = {
  'audio/x-mulaw;rate=8000': 8,
  'audio/x-l16;rate=8000': 16,
  'audio/x-l16;rate=16000': 32,
};

/** How a fake store speaks: milliseconds of audio at once, or later (a promise). */
export type FakeSpeech = (text: string, language: string | undefined) => number | Promise<number>;

/**
 * A prompt store whose prompts are silence of the given lengths, in any call format, built with
 * the audio module's own `encodedAudio` so frames look exactly like the real store's.
 *
 * @example fakePrompts({ welcome: 1000, menu: 2500 })
 */
export function fakePrompts(durations: Record<string, number>, speak?: FakeSpeech): PromptStore & { gets: number } {
  const cache = new Map<string, EncodedAudio>();
  const audioOf = (key: string, ms: number, format: MediaFormat): EncodedAudio => {
    const id = `${key}|${format}`;
    let audio = cache.get(id);
    if (!audio) {
      audio = encodedAudio(Buffer.alloc(ms * BYTES_PER_MS[format], format.includes('mulaw') ? 0xff : 0), format);
      cache.set(id, audio);
    }
    return audio;
  };
  const store = {
    gets: 0,
    get(_flowId: string, name: string, format: MediaFormat) {
      store.gets++;
      const ms = durations[name];
      return ms === undefined ? undefined : audioOf(name, ms, format);
    },
    silence(ms: number, format: MediaFormat) {
      return audioOf(`silence-${ms}`, ms, format);
    },
    languages() {
      return ['en'];
    },
    text(_flowId: string, name: string) {
      return durations[name] === undefined ? undefined : name;
    },
    say(_flowId: string, text: string, format: MediaFormat, language: string | undefined) {
      if (speak === undefined) return Promise.reject(new Error('no synthesizer in this test'));
      const answer = speak(text, language);
      const audio = (ms: number) => audioOf(`say-${text}-${language}`, ms, format);
      return typeof answer === 'number' ? audio(answer) : answer.then(audio);
    },
    settled() {
      return Promise.resolve();
    },
  };
  return store;
}
