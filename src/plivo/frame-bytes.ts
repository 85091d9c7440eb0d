/**
 * Large outbound frames (`playAudio`: a prompt's whole audio, tens to hundreds of KB) as shared
 * UTF-8 bytes. `ws.send(string)` allocates and fills a fresh Buffer per send; a prompt's frame is one
 * shared string (EncodedAudio.playAudioFrame), so every call that plays it would copy the same
 * bytes again. Under load those transient 100 KB buffers, freed only when the GC finds their
 * wrappers, inflate RSS (test/bench/memory-per-call.ts, 600 calls, a key each every 2 s: RSS
 * before GC ~87 -> ~66 KB per call, noisy). Sent as a Buffer with `binary: false`, `ws` writes these bytes as the text frame
 * without copying them.
 *
 * Keyed by the string itself: V8 caches a string's hash in the string, and a hit on the same
 * string object compares pointers, so a lookup does not read the 100 KB. Bounded by bytes, least
 * recently used first out, so prompts of a replaced flow version do not stay forever.
 */
export class FrameBytes {
  private readonly cache = new Map<string, Buffer>();
  private bytes = 0;

  /** `minLength`: shorter frames are sent as strings (a copy of 100 bytes costs nothing). */
  constructor(private readonly budgetBytes = 32 * 1024 * 1024, private readonly minLength = 4096) {}

  /** The frame to hand to `ws.send(…, { binary: false })`: `text` itself, or its shared bytes. */
  of(text: string): string | Buffer {
    if (text.length < this.minLength) return text;
    const hit = this.cache.get(text);
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.cache.delete(text);
      this.cache.set(text, hit);
      return hit;
    }
    const buf = Buffer.from(text, 'utf8');
    if (buf.length > this.budgetBytes) return buf;
    this.cache.set(text, buf);
    this.bytes += buf.length;
    for (const [key, old] of this.cache) {
      if (this.bytes <= this.budgetBytes) break;
      this.cache.delete(key);
      this.bytes -= old.length;
    }
    return buf;
  }

  /** Bytes held (for tests and metrics). */
  get size(): number {
    return this.bytes;
  }
}

/** One per process: every connection plays the same prompts. */
export const frameBytes = new FrameBytes();
