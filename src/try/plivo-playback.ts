import type { Clock, TimerHandle } from '../call/clock.js';

export interface PlaybackOptions {
  clock: Clock;
  /** `--fast`: queued audio counts as played at once (checkpoints acknowledged immediately). */
  instant?: boolean;
  /** A checkpoint's audio has played: Plivo sends `playedStream` with its name. */
  played(name: string): void;
  /** The queue was dropped: Plivo sends `clearedAudio`. */
  cleared(): void;
}

/**
 * Plivo's playback queue, as `ivr call` plays it (plivo-protocol.md, "Frames to Plivo"): audio
 * plays back to back; a checkpoint is acknowledged when the audio queued before it has played;
 * `clearAudio` drops the queue and its checkpoints, which are then never acknowledged.
 *
 * @example
 *   const playback = new PlivoPlayback({ clock: realClock, played: (n) => session.played(n), cleared: () => session.cleared() });
 *   playback.audio(2300); playback.checkpoint('welcome#1'); // 'welcome#1' acknowledged 2.3 s later
 */
export class PlivoPlayback {
  private queueEnd = 0;
  private readonly timers = new Set<TimerHandle>();

  constructor(private readonly o: PlaybackOptions) {}

  /**
   * Queues `durationMs` of audio. `started` runs when it starts playing (at once when the queue is
   * empty or `instant`; never if it is cleared first), which is when `ivr call` shows it.
   */
  audio(durationMs: number, started?: () => void): void {
    const now = this.o.clock.now();
    const start = this.o.instant ? now : Math.max(this.queueEnd, now);
    if (!this.o.instant) this.queueEnd = start + durationMs;
    if (!started) return;
    if (start <= now) return started();
    const handle = this.o.clock.setTimeout(() => {
      this.timers.delete(handle);
      started();
    }, start - now);
    this.timers.add(handle);
  }

  checkpoint(name: string): void {
    const delay = Math.max(0, this.queueEnd - this.o.clock.now());
    if (this.o.instant || delay === 0) {
      // Still asynchronous, as an answer over the wire would be: the session is mid-command.
      const handle = this.o.clock.setTimeout(() => this.fire(handle, name), 0);
      this.timers.add(handle);
      return;
    }
    const handle = this.o.clock.setTimeout(() => this.fire(handle, name), delay);
    this.timers.add(handle);
  }

  clear(): void {
    this.stop();
    this.queueEnd = this.o.clock.now();
    this.o.cleared();
  }

  /** The call is over: nothing more is acknowledged. */
  stop(): void {
    for (const handle of this.timers) this.o.clock.clearTimeout(handle);
    this.timers.clear();
  }

  private fire(handle: TimerHandle, name: string): void {
    this.timers.delete(handle);
    this.o.played(name);
  }
}
