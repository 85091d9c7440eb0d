import type { EncodedAudio, MediaFormat, PromptStore } from '../audio/types.js';
import type { PlayItem } from '../compile/protocol.js';
import { DEFAULTS } from '../flow/defaults.js';
import type { CallLog } from './call-log.js';
import type { CallTimers } from './call-timers.js';
import type { Clock } from './clock.js';
import { checkpointFrame, checkpointName, clearAudioFrame } from './outbound-frames.js';

export interface PlaybackQueueOptions {
  streamId: string;
  format: MediaFormat;
  prompts: PromptStore;
  clock: Clock;
  timers: CallTimers;
  log: CallLog;
  /** No `playedStream` within the audio's duration plus this => treat the playback as heard. */
  graceMs: number;
  send(text: string): void;
  /** Tell the machine a playback has been heard. */
  finished(playbackId: number): void;
  /** Tell the machine a `{ say }` of a playback could not be spoken (it goes to onError). */
  sayFailed(playbackId: number, message: string): void;
}

interface Pending {
  playbackId: number;
  fallback: number;
}

/** A playback held back until its `{ say }` audio is ready (Plivo must get audio in order). */
interface Held {
  playbackId: number;
  items: readonly PlayItem[];
  /** Audio of each item once known (prompts and silences at once, speech when synthesized). */
  audio: Array<EncodedAudio | undefined>;
  waitingFor: number;
  failure: string | undefined;
  timer: number | undefined;
}

/**
 * Plivo's playback queue as seen from the engine: audio frames out, one checkpoint per
 * playback, acknowledgements (`playedStream`) back in, turned into `playback.finished`.
 *
 * Checkpoint names are unique in the call (`p<playbackId>.<n>`), so an acknowledgement for a
 * checkpoint that a `clearAudio` killed, or one that already timed out, is recognised as stale
 * and ignored. An acknowledgement can be lost when a call drops (plivo-protocol.md), so each
 * playback also has a fallback timer.
 */
export class PlaybackQueue {
  /** Live checkpoints in the order they were queued (Map keeps insertion order). */
  private readonly pending = new Map<string, Pending>();
  private checkpoints = 0;
  private held: Held[] = [];
  /** When the audio queued so far should have finished playing (clock time). */
  private queueEndsAt = 0;
  /** The checkpoint sent last: nothing is queued after it. */
  private latest = '';

  /** This stream's `clearAudio` frame: the same text every time. */
  private readonly clearFrame: string;

  constructor(private readonly o: PlaybackQueueOptions) {
    this.clearFrame = clearAudioFrame(o.streamId);
  }

  /**
   * Queue a playback's items and its checkpoint. A `{ say }` whose text was not said before is
   * synthesized off the serving thread: the playback (and any queued after it) is held until the
   * speech is ready, then sent in order; past `sayTimeoutMs` (on the call's clock) or on a
   * synthesis failure, the machine gets `say.failed` and nothing of that playback is sent.
   * Returns the checkpoint name when the playback went out at once.
   */
  play(playbackId: number, items: readonly PlayItem[], sayTimeoutMs: number = DEFAULTS.sayTimeout): string | undefined {
    const held: Held = { playbackId, items, audio: [], waitingFor: 0, failure: undefined, timer: undefined };
    items.forEach((item, i) => {
      if (!('say' in item)) return;
      let answer: EncodedAudio | Promise<EncodedAudio>;
      try {
        answer = this.o.prompts.say(item.flow, item.say, this.o.format, item.language, sayTimeoutMs);
      } catch (err) {
        answer = Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      if (!(answer instanceof Promise)) {
        held.audio[i] = answer;
        return;
      }
      held.waitingFor++;
      answer.then(
        (audio) => {
          held.audio[i] = audio;
          held.waitingFor--;
          this.flushHeld();
        },
        (err: unknown) => this.failHeld(held, err instanceof Error ? err.message : String(err)),
      );
    });
    if (held.waitingFor === 0 && this.held.length === 0) return this.send(held);
    if (held.waitingFor > 0) held.timer = this.o.timers.start(sayTimeoutMs, () => this.failHeld(held, `speech not ready within ${sayTimeoutMs} ms (sayTimeout)`));
    this.held.push(held);
    this.flushHeld();
    return undefined;
  }

  /** Sends the held playbacks that are ready, oldest first; a failed one is reported instead. */
  private flushHeld(): void {
    while (this.held.length > 0) {
      const first = this.held[0]!;
      if (first.failure === undefined && first.waitingFor > 0) return;
      this.held.shift();
      this.o.timers.cancel(first.timer);
      if (first.failure !== undefined) this.o.sayFailed(first.playbackId, first.failure);
      else this.send(first);
    }
  }

  private failHeld(held: Held, message: string): void {
    if (held.failure !== undefined || !this.held.includes(held)) return;
    held.failure = message;
    this.flushHeld();
  }

  private send(held: Held): string {
    const { playbackId, items } = held;
    let durationMs = 0;
    items.forEach((item, i) => {
      const audio = held.audio[i] ?? this.audioOf(item);
      if (!audio) return;
      this.o.send(audio.playAudioFrame);
      durationMs += audio.durationMs;
    });
    const name = checkpointName(playbackId, ++this.checkpoints);
    this.o.send(checkpointFrame(this.o.streamId, name));
    this.latest = name;

    // Plivo plays queued audio in order: this playback ends after everything queued before it.
    const now = this.o.clock.now();
    this.queueEndsAt = Math.max(now, this.queueEndsAt) + durationMs;
    const fallback = this.o.timers.start(this.queueEndsAt - now + this.o.graceMs, () => {
      if (!this.pending.delete(name)) return;
      this.o.log.warn({ playbackId, checkpoint: name, durationMs }, 'no playedStream for checkpoint: playback treated as finished');
      this.o.finished(playbackId);
    });
    this.pending.set(name, { playbackId, fallback });
    return name;
  }

  /**
   * `playedStream` for `name`: everything queued before it has been played, so earlier
   * checkpoints still pending are finished too, in order. Unknown and stale names are ignored.
   */
  played(name: string): void {
    if (!this.pending.has(name)) return;
    // The latest checkpoint answered: everything queued has played, however early, so a playback
    // queued next (a record node's beep, sent as the machine hears this one finish) has its
    // fallback counted from now. With later checkpoints pending the estimate stands: their
    // fallbacks are already set, and playbacks must finish in order.
    if (name === this.latest) this.queueEndsAt = Math.min(this.queueEndsAt, this.o.clock.now());
    for (const [key, entry] of this.pending) {
      this.pending.delete(key);
      this.o.timers.cancel(entry.fallback);
      this.o.finished(entry.playbackId);
      if (key === name) break;
    }
  }

  /**
   * `playFailed`: Plivo could not play queued audio. The playback it names (else the oldest one
   * pending) counts as finished, with those queued before it, as if acknowledged: the caller
   * heard nothing more of it, and waiting for its fallback would only stall the call.
   */
  failed(name?: string): void {
    const target = name !== undefined && this.pending.has(name) ? name : this.pending.keys().next().value;
    if (target !== undefined) this.played(target);
  }

  /** `clearAudio`: queued audio is dropped and its checkpoints will never be acknowledged. */
  clear(): void {
    // Playbacks still waiting for speech are dropped too: they would have been cleared.
    if (this.held.length > 0) this.close();
    this.o.send(this.clearFrame);
    for (const entry of this.pending.values()) this.o.timers.cancel(entry.fallback);
    this.pending.clear();
    this.queueEndsAt = this.o.clock.now();
  }

  /** The call ended: playbacks still waiting for speech are dropped, so nothing is sent after the end. */
  close(): void {
    for (const held of this.held) this.o.timers.cancel(held.timer);
    this.held = [];
  }

  /** Checkpoint names still waiting for `playedStream`, oldest first. */
  get waiting(): string[] {
    return [...this.pending.keys()];
  }

  private audioOf(item: PlayItem): EncodedAudio | undefined {
    if ('silenceMs' in item) return this.o.prompts.silence(item.silenceMs, this.o.format);
    if ('say' in item) return undefined;
    const audio = this.o.prompts.get(item.flow, item.prompt, this.o.format, item.language);
    if (!audio) {
      // `ivr validate` reports missing prompts; reaching here means a flow was served anyway.
      this.o.log.error({ prompt: item.prompt, flow: item.flow, format: this.o.format }, 'prompt has no audio: skipped');
    }
    return audio;
  }
}
