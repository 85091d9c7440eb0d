import { parseOutboundFrame } from '../call/outbound-frames.js';
import type { Transport } from '../call/transport.js';

/** What the engine sent to "Plivo", frame by frame, as a test sees it. */
export type SentFrame =
  | { event: 'playAudio' }
  | { event: 'checkpoint'; name: string }
  | { event: 'clearAudio' }
  | { event: 'sendDTMF'; dtmf: string }
  | { event: 'other'; text: string };

/**
 * A Transport that plays Plivo's part in a test: it parses every outbound frame, keeps the
 * checkpoints still waiting for `playedStream` (a `clearAudio` drops them: Plivo never
 * acknowledges cleared audio, plivo-protocol.md), and remembers how the stream was closed.
 */
export class RecordingTransport implements Transport {
  readonly frames: SentFrame[] = [];
  /** Checkpoints queued and neither acknowledged nor cleared, oldest first. */
  readonly pendingCheckpoints: string[] = [];
  closed: { code: number; reason: string } | undefined;
  /** Called for every frame after it is recorded (the call's transcript listens here). */
  onFrame: (frame: SentFrame) => void = () => {};
  /** Called once, when the engine closes the stream. */
  onClose: (code: number, reason: string) => void = () => {};

  send(text: string): void {
    const frame = parseFrame(text);
    if (frame.event === 'checkpoint') this.pendingCheckpoints.push(frame.name);
    if (frame.event === 'clearAudio') this.pendingCheckpoints.length = 0;
    this.frames.push(frame);
    this.onFrame(frame);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = { code, reason };
    this.onClose(code, reason);
  }

  /** Takes every pending checkpoint, as Plivo would acknowledge them: in queue order. */
  takePendingCheckpoints(): string[] {
    return this.pendingCheckpoints.splice(0);
  }
}

function parseFrame(text: string): SentFrame {
  // The playAudio frame is by far the largest; its event name is checked without parsing the audio.
  if (text.startsWith('{"event":"playAudio"')) return { event: 'playAudio' };
  const frame = parseOutboundFrame(text);
  return frame.event === 'playAudio' ? { event: 'playAudio' } : frame;
}
