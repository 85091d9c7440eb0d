import type { Transport } from '../../../src/call/transport.js';

export interface Frame {
  event: string;
  [key: string]: unknown;
}

/** A Transport that keeps every frame the session sent (parsed) and how it closed the stream. */
export class FrameTransport implements Transport {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | undefined;
  closes = 0;

  send(text: string): void {
    this.frames.push(JSON.parse(text) as Frame);
  }

  close(code: number, reason: string): void {
    this.closes++;
    this.closed = { code, reason };
  }

  /** Frames sent since the last `take`, as `event` names with the interesting detail. */
  take(): string[] {
    const out = this.frames.splice(0).map(describe);
    return out;
  }

  checkpoints(): string[] {
    return this.frames.filter((f) => f.event === 'checkpoint').map((f) => String(f.name));
  }
}

function describe(frame: Frame): string {
  switch (frame.event) {
    case 'playAudio': {
      const media = frame.media as { payload: string; contentType: string };
      return `playAudio ${Buffer.from(media.payload, 'base64').length}`;
    }
    case 'checkpoint':
      return `checkpoint ${String(frame.name)}`;
    case 'sendDTMF':
      return `sendDTMF ${String(frame.dtmf)}`;
    default:
      return frame.event;
  }
}
