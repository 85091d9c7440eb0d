import type { MediaFormat, PromptStore } from '../audio/types.js';
import { playbackOfCheckpoint } from '../call/outbound-frames.js';
import { describePlay, shownPlay, SPOKEN_VALUE } from '../call/shown-play.js';
import type { PlayItem } from '../compile/protocol.js';
import type { TryEvent } from './call-display.js';

/** An item of a play command: the frame its audio is (undefined: a say's speech), shown as `event` (`null`: heard, not shown). */
interface Expected {
  frame: string | undefined;
  event: TryEvent | null | undefined;
}

/**
 * What `ivr call` (local) shows for each `playAudio` frame, paired with the playback that sent it.
 * Prompt frames are shared strings (one per prompt), so a frame's text does not say which play
 * it belongs to: a playback held for its speech and then cleared (barge-in) or failed never sends
 * its frames, and pairing by text would hand its items (a value shown by name) to the next play of
 * the same audio, a secret's. Instead, a play command's items wait under its playbackId; the
 * frames queued before a checkpoint `p<id>.<n>` (call/playback-queue.ts sends a playback's frames,
 * then its checkpoint, in one go) are paired with that playback's items in order, and playbacks
 * with lower ids, dropped, are forgotten. Default deny: a frame of a value-speaking system prompt
 * that is not its own playback's item is shown as `#`.
 *
 * @example
 *   const shown = new ShownFrames(store, 'audio/x-mulaw;rate=8000');
 *   shown.expect(3, cmd.items); // the play command
 *   shown.audio(frame, 400);    // its frames…
 *   shown.playback('p3.7');     // …and its checkpoint: [{ durationMs: 400, event: { type: 'prompt', name: '#' } }]
 */
export class ShownFrames {
  private readonly expected = new Map<number, Expected[]>();
  private queued: { text: string; durationMs: number }[] = [];
  /**
   * Frames of system prompts that speak a value, learnt from the play commands (every frame sent
   * was in one): a bounded set, digits and numbers per language.
   */
  private readonly valueFrames = new Set<string>();

  constructor(
    private readonly prompts: PromptStore,
    private readonly format: MediaFormat,
  ) {}

  /** A play command: its items as `ivr test` shows them (call/shown-play.ts), a secret value one `#` per run. */
  expect(playbackId: number, items: readonly PlayItem[]): void {
    const names = new Map(shownPlay(items, 'tests').map(({ name, item }) => [item, name]));
    const list: Expected[] = [];
    for (const item of items) {
      // A say's text is shown with the command; its speech, when it comes, as unnamed audio.
      if ('say' in item) {
        list.push({ frame: undefined, event: undefined });
        continue;
      }
      const audio = 'silenceMs' in item ? this.prompts.silence(item.silenceMs, this.format) : this.prompts.get(item.flow, item.prompt, this.format, item.language);
      // No audio, no frame: the queue skips it too.
      if (!audio) continue;
      const name = names.get(item);
      if ('prompt' in item && describePlay([item], 'logs')[0] === SPOKEN_VALUE) this.valueFrames.add(audio.playAudioFrame);
      const event: TryEvent | null = name === undefined ? null
        : 'silenceMs' in item ? { type: 'prompt', name: 'silence', durationMs: item.silenceMs }
        : name !== item.prompt ? { type: 'prompt', name }
        : { type: 'prompt', name, text: this.prompts.text(item.flow, item.prompt, item.language), durationMs: audio.durationMs };
      list.push({ frame: audio.playAudioFrame, event });
    }
    this.expected.set(playbackId, list);
  }

  /** A `playAudio` frame, shown when its playback's checkpoint follows. */
  audio(text: string, durationMs: number): void {
    this.queued.push({ text, durationMs });
  }

  /** The checkpoint `name` follows the frames queued since the last one: each with what to show when it starts. */
  playback(name: string): { durationMs: number; event: TryEvent | null }[] {
    const id = playbackOfCheckpoint(name);
    const items = id === undefined ? [] : (this.expected.get(id) ?? []);
    // Playbacks before this one that never sent their frames were dropped (cleared, say failed).
    if (id !== undefined) for (const older of this.expected.keys()) if (older <= id) this.expected.delete(older);
    const frames = this.queued;
    this.queued = [];
    return frames.map(({ text, durationMs }, i) => {
      const item = items[i];
      const own = item !== undefined && (item.frame === undefined || item.frame === text) ? item.event : undefined;
      if (own !== undefined) return { durationMs, event: own };
      return { durationMs, event: this.valueFrames.has(text) ? { type: 'prompt', name: SPOKEN_VALUE } : { type: 'audio', durationMs } };
    });
  }

  /** The call is over. */
  reset(): void {
    this.expected.clear();
    this.queued = [];
  }
}
