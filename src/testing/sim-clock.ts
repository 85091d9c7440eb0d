import type { Clock, TimerHandle } from '../call/clock.js';
import { DEFAULT_START_AT } from './start-time.js';

interface Timer {
  id: number;
  due: number;
  fn: (...args: unknown[]) => void;
}

/**
 * Simulated time for `ivr test` and unit tests: a 30-second timeout costs nothing.
 * Pass it to XState (`createActor(machine, { clock })`) and to the call session; time moves
 * only when `advance` is called, so tests never sleep.
 *
 * @example
 * const clock = new SimClock();
 * clock.setTimeout(() => console.log('fired'), 5000);
 * clock.advance(4999); // nothing
 * clock.advance(1);    // fired
 */
export class SimClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  /** `start`: the simulated epoch in ms (default 2026-01-05 09:00 UTC, a Monday morning). */
  constructor(start = DEFAULT_START_AT) {
    this.time = start;
  }

  setTimeout(fn: (...args: unknown[]) => void, ms: number): TimerHandle {
    const id = ++this.seq;
    // Negative or NaN delays behave like 0, as with the real setTimeout.
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.timers.push({ id, due: this.time + delay, fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  now(): number {
    return this.time;
  }

  /** Number of timers scheduled and not yet fired or cleared (0 once a call has ended cleanly). */
  pending(): number {
    return this.timers.length;
  }

  /** Time at which the next timer fires, if any. */
  nextDue(): number | undefined {
    const next = this.earliest();
    return next?.due;
  }

  /**
   * Moves time forward by `ms`, firing every timer due at or before the new time in time order
   * (ties in the order they were scheduled), including timers scheduled by callbacks fired here.
   * During a callback `now()` is that timer's due time, as it would be in real time.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`SimClock.advance: ms must be >= 0, got ${ms}`);
    const target = this.time + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.due;
      next.fn();
    }
    this.time = target;
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    return best;
  }
}
