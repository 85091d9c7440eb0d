import type { ESpeakNGWorker } from '@echogarden/espeak-ng-emscripten';

/**
 * The bundled synthesizer: eSpeak NG compiled to JavaScript (@echogarden/espeak-ng-emscripten,
 * which ships every eSpeak voice in its data file, so nothing is downloaded at run time). One
 * instance per thread, made on first use (about 100 ms) and kept: a sentence then takes a few ms.
 * Runs only inside the speech worker (speech-worker.ts), never on the serving thread.
 */

/** eSpeak voice per language when the flow names none: American English, Latin American Spanish. */
const DEFAULT_VOICES: Readonly<Record<string, string>> = { en: 'en-us', es: 'es-419' };

/** Speech longer than this is cut off and reported: no prompt or `say` needs more. */
export const MAX_SPEECH_SECONDS = 120;

let instance: Promise<ESpeakNGWorker> | undefined;

function engine(): Promise<ESpeakNGWorker> {
  instance ??= import('@echogarden/espeak-ng-emscripten').then(async ({ default: init }) => {
    const module = await init();
    return new module.eSpeakNGWorker();
  });
  return instance;
}

/** The eSpeak voice for a language (`settings.voice` wins). */
export function espeakVoice(language: string, voice: string | undefined): string {
  return voice ?? DEFAULT_VOICES[language] ?? language;
}

/**
 * Speaks `text` with eSpeak NG: 16-bit mono samples at the engine's rate (22050 Hz).
 * @throws when the voice is unknown or the speech would be longer than MAX_SPEECH_SECONDS.
 */
export async function espeakSynthesize(text: string, language: string, voice?: string): Promise<{ samples: Int16Array; sampleRate: number }> {
  const speaker = await engine();
  const name = espeakVoice(language, voice);
  // set_voice answers 0 when the voice exists (and keeps the previous one otherwise).
  if (speaker.set_voice(name) !== 0) throw new Error(`eSpeak has no voice "${name}"`);
  const sampleRate = speaker.samplerate;
  const limit = MAX_SPEECH_SECONDS * sampleRate;
  const chunks: Int16Array[] = [];
  let length = 0;
  let tooLong = false;
  speaker.synthesize(text, (samples) => {
    if (samples === null || tooLong) return;
    length += samples.length;
    if (length > limit) tooLong = true;
    // The engine reuses its buffer: copy the chunk out.
    else chunks.push(samples.slice());
  });
  if (tooLong) throw new Error(`speech longer than ${MAX_SPEECH_SECONDS} s`);
  const samples = new Int16Array(length);
  let at = 0;
  for (const chunk of chunks) {
    samples.set(chunk, at);
    at += chunk.length;
  }
  return { samples, sampleRate };
}
