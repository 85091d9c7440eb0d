/** Types for the parts of @echogarden/espeak-ng-emscripten this engine uses (the package ships none). */
declare module '@echogarden/espeak-ng-emscripten' {
  export interface ESpeakNGWorker {
    /** 0 when the voice exists. */
    set_voice(name: string): number;
    set_rate(wordsPerMinute: number): void;
    readonly samplerate: number;
    /** Calls back with chunks of 16-bit samples (and events) until the text is spoken. */
    synthesize(text: string, callback: (samples: Int16Array | null, events: unknown) => void): void;
  }
  export interface ESpeakNGModule {
    eSpeakNGWorker: new () => ESpeakNGWorker;
  }
  const init: (options?: Record<string, unknown>) => Promise<ESpeakNGModule>;
  export default init;
}
