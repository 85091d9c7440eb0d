/**
 * Per-connection overload limits, checked on the hot path before any parsing: a frame-rate token
 * bucket (a stream far above Plivo's rate is not Plivo) and the send-buffer ceiling (a peer that
 * stops reading must not make the server hold its audio in memory without end). Pure and
 * clock-driven, so the arithmetic is tested without sockets.
 *
 * Plivo sends 50 `media` frames a second per call plus a few `dtmf`/`playedStream`/`clearedAudio`
 * frames; after a network stall it may deliver a backlog of several seconds at once. The defaults
 * leave room for both (4x the sustained rate, 20 s of media in one burst) and still cut a flood
 * within a fraction of a second.
 */

import { SERVER_DEFAULTS } from './server-options.js';

/** The limits' defaults, as src/options/serve-options.ts declares them (with their bounds and meaning). */
export const LIMIT_DEFAULTS = {
  maxFrameRate: SERVER_DEFAULTS.maxFrameRate,
  frameBurst: SERVER_DEFAULTS.frameBurst,
  maxBufferedBytes: SERVER_DEFAULTS.maxBufferedBytes,
  maxCalls: SERVER_DEFAULTS.maxCalls,
} as const;

/**
 * A token bucket: `burst` tokens, refilled at `ratePerSecond`; each frame takes one. The clock is
 * read only when the tokens run out (then the time since the last refill is credited, up to
 * `burst`), not on every frame: `Date.now()` returns a boxed number past 2^31, 16 bytes of garbage
 * per media frame, 50 a second per call. So a stream at Plivo's rate reads the clock once per
 * `burst` frames (every 20 s with the defaults). Bounds: from the stream's start, admitted frames
 * never exceed `burst + rate x elapsed` (test/reliability/limits.test.ts); a flood after a quiet
 * spell gets at most `2 x burst` frames (what was left, then one refill) before it is cut.
 *
 *   const bucket = new TokenBucket(200, 1000, () => clock.now());
 *   if (!bucket.take()) close(CLOSE.policy, 'frame flood');
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty (the frame is over the limit). */
  take(): boolean {
    if (this.tokens < 1) {
      const now = this.now();
      if (now > this.last) {
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
        this.last = now;
      }
      if (this.tokens < 1) return false;
    }
    this.tokens -= 1;
    return true;
  }
}

/**
 * True when what is queued for the peer (ws `bufferedAmount`: bytes not yet handed to the
 * kernel) is past the limit: the peer stopped reading, and more audio would only grow memory.
 */
export function sendBufferFull(bufferedAmount: number, maxBufferedBytes: number): boolean {
  return bufferedAmount > maxBufferedBytes;
}

/** How long a stream closed for flooding gets to finish the closing handshake before it is cut. */
export const FLOOD_CLOSE_GRACE_MS = 1000;
