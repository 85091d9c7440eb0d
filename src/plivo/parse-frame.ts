/**
 * Inbound frame parsing. Never throws: a frame is either an `InboundFrame` or a `BadFrame` with a
 * kind the connection counts.
 *
 * The media fast path: `media` frames arrive every 20 ms for the whole call (plivo-protocol.md)
 * and most calls never record, so a frame that starts with the exact bytes `{"event":"media",`
 * (how Plivo serialises it) is recognised without JSON.parse or even a string conversion, and
 * skipped unless the session wants media; then only the payload is cut out and base64-decoded.
 * Anything else (other key order, whitespace, escapes in the payload) takes the full path, so the
 * fast path is an optimisation that the tests prove agrees with the full path.
 * Trade-off, on purpose: a frame with that prefix is trusted to be media; when the call does not
 * want media, a frame that is broken after its prefix is skipped rather than reported.
 */
import type { MediaFormat } from '../audio/types.js';
import { CHECKPOINT_NAME_MAX_LENGTH } from '../call/outbound-frames.js';
import { DTMF_KEY } from '../flow/dtmf-keys.js';
import { parseExtraHeaders } from './extra-headers.js';
import type { BadFrame, BadFrameKind, MediaFrame, ParsedFrame, StartFrame } from './frames.js';
import { CALL_ID_MAX_LENGTH } from '../flow/call-info.js';

/** What the parser needs to know about the connection. */
export interface FrameContext {
  /** A valid `start` frame has been received. */
  started: boolean;
  /** The session records: decode media payloads (otherwise media frames are skipped unread). */
  wantsMedia: boolean;
}

const MEDIA_PREFIX = Buffer.from('{"event":"media",');
const PAYLOAD_KEY = Buffer.from('"payload":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Shared result for every skipped media frame: the fast path allocates nothing. */
const SKIPPED_MEDIA: ParsedFrame = Object.freeze({ ok: true, frame: Object.freeze({ event: 'media' }) as MediaFrame });


/** The `reason` of `stop`, `playFailed` and `error` frames is kept cut to this many characters. */
export const REASON_MAX_LENGTH = 200;

function bad(kind: BadFrameKind, message: string): ParsedFrame {
  return { ok: false, bad: { kind, message } satisfies BadFrame };
}

/**
 * Parses one WebSocket message. `data` is what `ws` delivers (a Buffer for text frames too).
 *
 *   parseFrame(Buffer.from('{"event":"dtmf","dtmf":{"digit":"5"}}'), false, { started: true, wantsMedia: false })
 *   // { ok: true, frame: { event: 'dtmf', digit: '5' } }
 */
export function parseFrame(data: Buffer | string, isBinary: boolean, ctx: FrameContext): ParsedFrame {
  if (isBinary) return bad('binary', 'binary frame: Plivo sends JSON text frames');
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  if (isMediaPrefixed(buf)) {
    if (!ctx.started) return bad('before-start', 'media frame before the start frame');
    if (!ctx.wantsMedia) return SKIPPED_MEDIA;
    const payload = cutPayload(buf);
    if (payload !== undefined) return { ok: true, frame: { event: 'media', payload } };
  }
  return parseFrameFully(buf.toString('utf8'), ctx);
}

/**
 * True when `buf` starts with the exact bytes `{"event":"media",`. A byte loop, not
 * `buf.compare(MEDIA_PREFIX, 0, n, 0, n)`: the ranged compare validates its five arguments and
 * crosses into C++, about 60 ns of the ~500 ns the engine spends on a media frame.
 */
export function isMediaPrefixed(buf: Buffer): boolean {
  const n = MEDIA_PREFIX.length;
  if (buf.length < n) return false;
  for (let i = 0; i < n; i++) if (buf[i] !== MEDIA_PREFIX[i]) return false;
  return true;
}

/** The payload of a media frame without parsing the rest; undefined when unsure (escapes, no key). */
function cutPayload(buf: Buffer): Buffer | undefined {
  const key = buf.indexOf(PAYLOAD_KEY);
  if (key < 0 || buf.indexOf(PAYLOAD_KEY, key + 1) >= 0) return undefined;
  const start = key + PAYLOAD_KEY.length;
  const end = buf.indexOf(QUOTE, start);
  if (end < 0) return undefined;
  const backslash = buf.indexOf(BACKSLASH, start);
  if (backslash >= 0 && backslash < end) return undefined;
  return Buffer.from(buf.toString('latin1', start, end), 'base64');
}

/** The full path: JSON.parse and validation of every event's required fields. */
export function parseFrameFully(text: string, ctx: FrameContext): ParsedFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('invalid-json', `not JSON (${text.length} characters)`);
  }
  if (!isObject(json)) return bad('invalid-json', 'not a JSON object');
  const event = json.event;
  if (typeof event !== 'string') return bad('missing-field', 'frame without an `event`');
  switch (event) {
    case 'start':
      if (ctx.started) return bad('second-start', 'a second start frame on the same stream');
      return parseStart(json);
    case 'media': {
      if (!ctx.started) return bad('before-start', 'media frame before the start frame');
      const media = json.media;
      if (!isObject(media) || typeof media.payload !== 'string') return bad('missing-field', 'media frame without `media.payload`');
      if (!ctx.wantsMedia) return SKIPPED_MEDIA;
      return { ok: true, frame: { event: 'media', payload: Buffer.from(media.payload, 'base64') } };
    }
    case 'dtmf': {
      if (!ctx.started) return bad('before-start', 'dtmf frame before the start frame');
      const dtmf = json.dtmf;
      const digit = isObject(dtmf) ? dtmf.digit : undefined;
      if (typeof digit !== 'string' && typeof digit !== 'number') return bad('missing-field', 'dtmf frame without `dtmf.digit`');
      const key = String(digit).toUpperCase();
      if (!DTMF_KEY.test(key)) return bad('bad-digit', `dtmf digit ${JSON.stringify(String(digit).slice(0, 8))} is not one of 0-9 * # A-D`);
      return { ok: true, frame: { event: 'dtmf', digit: key } };
    }
    case 'playedStream':
    case 'played': {
      if (!ctx.started) return bad('before-start', `${event} frame before the start frame`);
      if (typeof json.name !== 'string') return bad('missing-field', `${event} frame without \`name\``);
      if (json.name.length > CHECKPOINT_NAME_MAX_LENGTH) {
        return bad('bad-checkpoint', `${event} name of ${json.name.length} characters: the engine's checkpoint names have at most ${CHECKPOINT_NAME_MAX_LENGTH}`);
      }
      return { ok: true, frame: { event: 'playedStream', name: json.name } };
    }
    case 'clearedAudio':
      if (!ctx.started) return bad('before-start', 'clearedAudio frame before the start frame');
      return { ok: true, frame: { event: 'clearedAudio' } };
    // Plivo's own transports send these too (plivo-protocol.md, "More facts"): not hostile.
    case 'stop':
    case 'error':
      return { ok: true, frame: { event, reason: reasonOf(json) } };
    case 'playFailed': {
      if (!ctx.started) return bad('before-start', 'playFailed frame before the start frame');
      const name = typeof json.name === 'string' && json.name.length <= CHECKPOINT_NAME_MAX_LENGTH ? json.name : undefined;
      return { ok: true, frame: { event: 'playFailed', reason: reasonOf(json), ...(name !== undefined ? { name } : {}) } };
    }
    case 'muteStream':
    case 'unmuteStream':
      return { ok: true, frame: { event } };
    default:
      return bad('unknown-event', `unknown event ${JSON.stringify(event.slice(0, 32))}`);
  }
}

/** A frame's `reason` (top level, or inside an object named after the event), cut; '' when absent. */
function reasonOf(json: Record<string, unknown>): string {
  const inner = json[json.event as string];
  const raw = json.reason ?? (isObject(inner) ? inner.reason : undefined);
  if (typeof raw !== 'string' && typeof raw !== 'number') return '';
  return String(raw).slice(0, REASON_MAX_LENGTH);
}

function parseStart(json: Record<string, unknown>): ParsedFrame {
  const start = json.start;
  if (!isObject(start)) return bad('missing-field', 'start frame without `start`');
  for (const field of ['callId', 'streamId'] as const) {
    if (typeof start[field] !== 'string' || start[field] === '') return bad('missing-field', `start frame without \`start.${field}\``);
  }
  const format = mediaFormatOf(start.mediaFormat);
  if (format === undefined) {
    return bad('missing-field', `start frame with an unsupported \`start.mediaFormat\` ${JSON.stringify(start.mediaFormat)?.slice(0, 80)}`);
  }
  const headers = parseExtraHeaders(json.extra_headers ?? start.extra_headers ?? start.extraHeaders);
  const call = {
    callId: (start.callId as string).slice(0, CALL_ID_MAX_LENGTH),
    streamId: (start.streamId as string).slice(0, CALL_ID_MAX_LENGTH),
    accountId: typeof start.accountId === 'string' ? start.accountId.slice(0, CALL_ID_MAX_LENGTH) : '',
    headers,
    ...(typeof start.from === 'string' ? { from: start.from.slice(0, CALL_ID_MAX_LENGTH) } : {}),
    ...(typeof start.to === 'string' ? { to: start.to.slice(0, CALL_ID_MAX_LENGTH) } : {}),
  };
  const tracks = Array.isArray(start.tracks) ? start.tracks.filter((t): t is string => typeof t === 'string') : ['inbound'];
  const frame: StartFrame = { event: 'start', call, format, tracks };
  const seq = toNumber(json.sequenceNumber);
  if (seq !== undefined) frame.sequenceNumber = seq;
  return { ok: true, frame };
}

/**
 * `mediaFormat` -> one of the three call formats. Absent means Plivo's default, L16 at 8 kHz
 * (plivo-protocol.md); the rate may arrive as a string.
 */
export function mediaFormatOf(raw: unknown): MediaFormat | undefined {
  if (raw === undefined || raw === null) return 'audio/x-l16;rate=8000';
  if (!isObject(raw)) return undefined;
  const encoding = typeof raw.encoding === 'string' ? raw.encoding.toLowerCase() : '';
  const rate = toNumber(raw.sampleRate);
  if (encoding === 'audio/x-mulaw' && (rate === 8000 || rate === undefined)) return 'audio/x-mulaw;rate=8000';
  if (encoding === 'audio/x-l16' && (rate === 8000 || rate === undefined)) return 'audio/x-l16;rate=8000';
  if (encoding === 'audio/x-l16' && rate === 16000) return 'audio/x-l16;rate=16000';
  return undefined;
}

function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
