import type { EncodedAudio, MediaFormat, PromptStore } from '../audio/types.js';
import type { PlayItem } from '../compile/protocol.js';
import type { CallLog } from './call-log.js';
import type { CallTimers } from './call-timers.js';
import type { Clock } from './clock.js';
import { checkpointFrame, clearAudioFrame } from './outbound-frames.js';

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
}

interface Pending {
  playbackId: number;
  fallback: number;
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
  /** When the audio queued so far should have finished playing (clock time). */
  private queueEndsAt = 0;

  constructor(private readonly o: PlaybackQueueOptions) {}

  /** Queue a playback's items and its checkpoint; returns the checkpoint name. */
  play(playbackId: number, items: readonly PlayItem[]): string {
    let durationMs = 0;
    for (const item of items) {
      const audio = this.audioOf(item);
      if (!audio) continue;
      this.o.send(audio.playAudioFrame);
      durationMs += audio.durationMs;
    }
    const name = `p${playbackId}.${++this.checkpoints}`;
    this.o.send(checkpointFrame(this.o.streamId, name));

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

  /** Queue audio with no checkpoint (the recording beep); returns its duration. */
  playAudio(audio: EncodedAudio): number {
    this.o.send(audio.playAudioFrame);
    const now = this.o.clock.now();
    this.queueEndsAt = Math.max(now, this.queueEndsAt) + audio.durationMs;
    return audio.durationMs;
  }

  /**
   * `playedStream` for `name`: everything queued before it has been played, so earlier
   * checkpoints still pending are finished too, in order. Unknown and stale names are ignored.
   */
  played(name: string): void {
    if (!this.pending.has(name)) return;
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
    this.o.send(clearAudioFrame(this.o.streamId));
    for (const entry of this.pending.values()) this.o.timers.cancel(entry.fallback);
    this.pending.clear();
    this.queueEndsAt = this.o.clock.now();
  }

  /** Checkpoint names still waiting for `playedStream`, oldest first. */
  get waiting(): string[] {
    return [...this.pending.keys()];
  }

  private audioOf(item: PlayItem): EncodedAudio | undefined {
    if ('silenceMs' in item) return this.o.prompts.silence(item.silenceMs, this.o.format);
    const audio = this.o.prompts.get(item.flow, item.prompt, this.o.format);
    if (!audio) {
      // `ivr validate` reports missing prompts; reaching here means a flow was served anyway.
      this.o.log.error({ prompt: item.prompt, flow: item.flow, format: this.o.format }, 'prompt has no audio: skipped');
    }
    return audio;
  }
}
