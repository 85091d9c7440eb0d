import type { MediaFormat } from '../audio/types.js';
import { decodeMedia, rms } from '../audio/pcm.js';
import type { MachineEvent } from '../compile/protocol.js';
import type { CallLog } from './call-log.js';
import type { CallTimers } from './call-timers.js';
import type { RecordingSink } from './recording-sink.js';

export type RecordEndReason = 'terminator' | 'silence' | 'max-duration' | 'hangup';

export interface RecorderOptions {
  callId: string;
  format: MediaFormat;
  timers: CallTimers;
  log: CallLog;
  sink: RecordingSink | undefined;
  /** RMS (16-bit scale) above which a frame counts as the caller speaking. */
  silenceThreshold: number;
  /** Answer the machine (`record.done` / `record.failed`); not called once the call is over. */
  answer(event: MachineEvent): void;
  /** A file was written (also after a hang-up, when the machine no longer listens). */
  saved(path: string, durationMs: number): void;
}

/** Audio kept after the last loud frame when a recording ends on silence. */
const SILENCE_TAIL_MS = 500;

interface Capture {
  requestId: number;
  chunks: Int16Array[];
  samples: number;
  maxSamples: number;
  /** Sample count at the end of the last frame above the threshold (0: none yet). */
  lastLoudEnd: number;
  silenceTimeoutMs: number;
  silenceTimer: number | undefined;
  maxTimer: number;
}

/**
 * One call's `record` node: inbound media, decoded, appended while capturing. It ends on
 * `record.stop` (the terminator key), `silenceTimeout` without a frame above the threshold,
 * `maxDuration` (a clock timer, and a sample cap checked before buffering), or hang-up.
 * The file is PCM16 WAV at the call's rate. A recording that ends on silence keeps only
 * 500 ms after the last loud frame (unless nothing was ever loud: then it is kept whole).
 */
export class Recorder {
  private capture: Capture | undefined;
  private readonly rate: number;
  private readonly saving = new Set<Promise<void>>();

  constructor(private readonly o: RecorderOptions) {
    this.rate = o.format === 'audio/x-l16;rate=16000' ? 16000 : 8000;
  }

  get capturing(): boolean {
    return this.capture !== undefined;
  }

  /** `capturing` kept as a field, for the per-frame check (CallSession.mediaGate). */
  readonly gate = { open: false };

  /**
   * Starts capturing now, with the silence and maxDuration timers: the machine sends
   * `record.start` once the beep has played (its own checkpoint), so the first frame kept is
   * the first the caller sent after hearing it.
   */
  start(requestId: number, maxDurationMs: number, silenceTimeoutMs: number): void {
    if (!this.o.sink) {
      this.o.answer({ type: 'record.failed', requestId, message: 'recording is not configured on this server (no recordings directory)' });
      return;
    }
    if (this.capture) {
      this.o.answer({ type: 'record.failed', requestId, message: 'a recording is already in progress' });
      return;
    }
    const capture: Capture = {
      requestId,
      chunks: [],
      samples: 0,
      maxSamples: Math.floor((maxDurationMs * this.rate) / 1000),
      lastLoudEnd: 0,
      silenceTimeoutMs,
      silenceTimer: undefined,
      maxTimer: this.o.timers.start(maxDurationMs, () => this.finish('max-duration')),
    };
    this.capture = capture;
    this.gate.open = true;
    this.armSilence(capture, silenceTimeoutMs);
  }

  /** One inbound `media` payload (already base64-decoded). */
  media(payload: Buffer): void {
    const capture = this.capture;
    if (!capture) return;
    let samples = decodeMedia(payload, this.o.format);
    const room = capture.maxSamples - capture.samples;
    if (samples.length > room) samples = samples.subarray(0, Math.max(0, room));
    if (samples.length > 0) {
      // A view into a larger (pooled) buffer would pin it for the whole recording: copy it out.
      if (samples.byteLength !== samples.buffer.byteLength) samples = samples.slice();
      capture.chunks.push(samples);
      capture.samples += samples.length;
      if (rms(samples) > this.o.silenceThreshold) {
        capture.lastLoudEnd = capture.samples;
        this.armSilence(capture, capture.silenceTimeoutMs);
      }
    }
    if (capture.samples >= capture.maxSamples) this.finish('max-duration');
  }

  /** `record.stop` from the machine (terminator key, or its safety timer). */
  stop(requestId: number): void {
    if (this.capture?.requestId === requestId) this.finish('terminator');
  }

  /** The caller hung up: keep what was said (voicemail callers hang up to finish). */
  hangup(): void {
    if (this.capture) this.finish('hangup');
  }

  /** Resolves when every file being written is on disk (or failed). */
  async settled(): Promise<void> {
    while (this.saving.size > 0) await Promise.all([...this.saving]);
  }

  private armSilence(capture: Capture, ms: number): void {
    this.o.timers.cancel(capture.silenceTimer);
    capture.silenceTimer = this.o.timers.start(ms, () => this.finish('silence'));
  }

  private finish(reason: RecordEndReason): void {
    const capture = this.capture;
    const sink = this.o.sink;
    if (!capture || !sink) return;
    this.capture = undefined;
    this.gate.open = false;
    this.o.timers.cancel(capture.silenceTimer);
    this.o.timers.cancel(capture.maxTimer);

    let length = capture.samples;
    if (reason === 'silence' && capture.lastLoudEnd > 0) {
      length = Math.min(length, capture.lastLoudEnd + (SILENCE_TAIL_MS * this.rate) / 1000);
    }
    const samples = concat(capture.chunks, length);
    const durationMs = Math.round((samples.length * 1000) / this.rate);
    const { requestId } = capture;

    const job = sink
      .save(this.o.callId, samples, this.rate)
      .then(
        (path) => {
          this.o.log.info({ requestId, durationMs, reason }, 'recording saved');
          this.o.saved(path, durationMs);
          this.o.answer({ type: 'record.done', requestId, path, durationMs, reason });
        },
        (err: unknown) => {
          const message = `could not save the recording: ${err instanceof Error ? err.message : String(err)}`;
          this.o.log.error({ requestId, reason }, message);
          this.o.answer({ type: 'record.failed', requestId, message });
        },
      )
      .finally(() => this.saving.delete(job));
    this.saving.add(job);
  }
}

function concat(chunks: readonly Int16Array[], length: number): Int16Array {
  const out = new Int16Array(length);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= length) break;
    const part = chunk.length <= length - at ? chunk : chunk.subarray(0, length - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}
