import type { Clock, TimerHandle } from './clock.js';

/**
 * Every timer one call session owns (playback fallbacks, fetch timeouts, recording limits),
 * on the injected clock, so the session can cancel all of them when the call ends: a finished
 * call must leave nothing behind on the clock (tests assert `SimClock.pending() === 0`).
 */
export class CallTimers {
  private readonly live = new Map<number, TimerHandle>();
  private nextId = 1;

  constructor(
    private readonly clock: Clock,
    /** Called when a timer callback throws: a timer must never take the process down. */
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Runs `fn` after `ms`; returns an id for `cancel`. */
  start(ms: number, fn: () => void): number {
    const id = this.nextId++;
    const handle = this.clock.setTimeout(() => {
      this.live.delete(id);
      try {
        fn();
      } catch (err) {
        this.onError(err);
      }
    }, Math.max(0, ms));
    this.live.set(id, handle);
    return id;
  }

  cancel(id: number | undefined): void {
    if (id === undefined) return;
    const handle = this.live.get(id);
    if (handle === undefined) return;
    this.live.delete(id);
    this.clock.clearTimeout(handle);
  }

  cancelAll(): void {
    for (const handle of this.live.values()) this.clock.clearTimeout(handle);
    this.live.clear();
  }

  get size(): number {
    return this.live.size;
  }
}
