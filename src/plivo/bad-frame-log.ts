import type { Clock } from '../call/clock.js';

/**
 * Keeps a misbehaving client from flooding the log: at most `limit` bad-frame lines per window
 * per connection, one line saying the rest are paused, then silence until the window ends.
 * Every bad frame is still counted in the server's stats.
 */
export class BadFrameLogLimiter {
  private windowStart = -Infinity;
  private count = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  admit(): 'log' | 'first-suppressed' | 'suppressed' {
    const now = this.clock.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    if (this.count <= this.limit) return 'log';
    return this.count === this.limit + 1 ? 'first-suppressed' : 'suppressed';
  }
}
