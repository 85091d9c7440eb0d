/**
 * The frames of Plivo Audio Streaming (shared/plivo-protocol.md), as the engine sees them once
 * parsed. Inbound frames are normalised: `played` arrives as `playedStream`, numbers sent as
 * strings are numbers, `extra_headers` is a map. Outbound frames are built by the call session
 * (prompt audio frames are pre-serialised by the prompt store); their shapes are here for tests.
 */
import type { CallInfo } from '../compile/protocol.js';
import type { MediaFormat } from '../audio/types.js';

/** The `start` frame: who is calling and in which codec both directions run. */
export interface StartFrame {
  event: 'start';
  sequenceNumber?: number;
  call: CallInfo;
  format: MediaFormat;
  tracks: string[];
}

/**
 * A `media` frame. `payload` is the decoded audio, present only when the session asked for it
 * (`wantsMedia`): otherwise the frame is recognised by its prefix and never decoded.
 */
export interface MediaFrame {
  event: 'media';
  payload?: Buffer;
}

export interface DtmfFrame {
  event: 'dtmf';
  /** One of `0-9 * # A-D`. */
  digit: string;
}

/** A checkpoint acknowledgement (`playedStream`, or the legacy name `played`). */
export interface PlayedStreamFrame {
  event: 'playedStream';
  name: string;
}

export interface ClearedAudioFrame {
  event: 'clearedAudio';
}

/**
 * Events Plivo's own transports handle though the public page does not list them
 * (plivo-protocol.md, "More facts"). `reason` is cut to `REASON_MAX_LENGTH` characters.
 * - `stop`: the stream is ending; the call is over as if the caller hung up;
 * - `playFailed`: queued audio could not be played; the pending prompt counts as finished
 *   (`name`, when given, says which checkpoint);
 * - `error`: Plivo reports a problem with the stream; logged;
 * - `muteStream` / `unmuteStream`: counted, nothing else (DTMF keeps arriving).
 */
export interface StopFrame {
  event: 'stop';
  reason: string;
}
export interface PlayFailedFrame {
  event: 'playFailed';
  reason: string;
  name?: string;
}
export interface StreamErrorFrame {
  event: 'error';
  reason: string;
}
export interface MuteFrame {
  event: 'muteStream' | 'unmuteStream';
}

export type InboundFrame =
  | StartFrame
  | MediaFrame
  | DtmfFrame
  | PlayedStreamFrame
  | ClearedAudioFrame
  | StopFrame
  | PlayFailedFrame
  | StreamErrorFrame
  | MuteFrame;
export type InboundEvent = InboundFrame['event'];

/**
 * Why a frame was refused. The connection logs it (rate-limited) and counts it by kind; the call
 * goes on. `too-large` is reported by the socket (`maxPayload`, close 1009), not by the parser.
 */
export type BadFrameKind =
  | 'invalid-json'
  | 'unknown-event'
  | 'before-start'
  | 'second-start'
  | 'binary'
  | 'bad-digit'
  | 'missing-field'
  | 'bad-checkpoint'
  | 'too-large';

export const BAD_FRAME_KINDS: readonly BadFrameKind[] = [
  'invalid-json', 'unknown-event', 'before-start', 'second-start', 'binary', 'bad-digit', 'missing-field', 'bad-checkpoint', 'too-large',
];

/** The every-event list, for counters keyed by event (`ivr_frames_in_total{type}`). */
export const INBOUND_EVENTS: readonly InboundEvent[] = [
  'start', 'media', 'dtmf', 'playedStream', 'clearedAudio', 'stop', 'playFailed', 'error', 'muteStream', 'unmuteStream',
];

export interface BadFrame {
  kind: BadFrameKind;
  /** Plain words for the log: what was wrong, never the frame's payload. */
  message: string;
}

export type ParsedFrame = { ok: true; frame: InboundFrame } | { ok: false; bad: BadFrame };

// ---- outbound (engine -> Plivo) ----

export interface PlayAudioOut {
  event: 'playAudio';
  media: { contentType: 'audio/x-mulaw' | 'audio/x-l16'; sampleRate: 8000 | 16000; payload: string };
}
export interface CheckpointOut {
  event: 'checkpoint';
  streamId: string;
  name: string;
}
export interface ClearAudioOut {
  event: 'clearAudio';
  streamId: string;
}
export interface SendDtmfOut {
  event: 'sendDTMF';
  dtmf: string;
}
export type OutboundFrame = PlayAudioOut | CheckpointOut | ClearAudioOut | SendDtmfOut;
