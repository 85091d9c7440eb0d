import { WebSocket } from 'ws';
import { realClock, type Clock } from '../call/clock.js';
import type { TryEvent } from './call-display.js';
import type { TryCall } from './local-call.js';
import { parseOutboundFrame } from '../call/outbound-frames.js';
import { PlivoPlayback } from './plivo-playback.js';
import type { KnownPrompt } from './prompt-index.js';
import { SPOKEN_VALUE } from '../call/shown-play.js';
import { MASK } from '../compile/sensitive.js';

export interface RemoteCallOptions {
  /** `ws://host:port/stream/<flow>` (or `/stream` with `headers.flow`). */
  url: string;
  /** Sent as the start frame's `extra_headers`. */
  headers?: Record<string, string>;
  /** base64 payload -> prompt (from `--flows`), to name what plays. */
  prompts?: ReadonlyMap<string, KnownPrompt>;
  fast?: boolean;
  /** The start frame's callId (default: generated); it decides a split node's bucket. */
  callId?: string | undefined;
  clock?: Clock;
  show(event: TryEvent): void;
}

/** 20 ms of μ-law silence (0xFF): what Plivo streams while the caller says nothing. */
const SILENCE_20MS = Buffer.alloc(160, 0xff).toString('base64');

/**
 * A call to a running `ivr serve`, behaving on the wire as Plivo's media server does: a `start`
 * frame, a `media` frame every 20 ms, `dtmf` frames for keys, a playback queue that answers each
 * checkpoint with `playedStream` once the audio queued before it has played (at once with
 * `fast`) and `clearAudio` with `clearedAudio`, cleared checkpoints never answered. The caller
 * hanging up closes the socket (1000). A deployment smoke test.
 */
export async function startRemoteCall(o: RemoteCallOptions): Promise<TryCall> {
  const clock = o.clock ?? realClock;
  const ws = new WebSocket(o.url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the server refused the stream: HTTP ${res.statusCode}`)));
  });
  ws.on('error', () => {});
  let seq = 1;
  let chunk = 0;
  const streamId = `try-stream-${Date.now().toString(36)}`;
  const send = (frame: object): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ sequenceNumber: seq++, ...frame }));
  };
  const playback = new PlivoPlayback({
    clock,
    instant: o.fast === true,
    played: (name) => send({ event: 'playedStream', streamId, name }),
    cleared: () => send({ event: 'clearedAudio', streamId }),
  });
  const extra = Object.entries(o.headers ?? {}).map(([k, v]) => `${k}=${v}`).join(';');
  send({
    event: 'start',
    start: { callId: o.callId ?? `try-${Date.now().toString(36)}`, streamId, accountId: 'MATRYCALL', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
    extra_headers: extra,
  });
  const media = setInterval(() => {
    send({ event: 'media', streamId, media: { track: 'inbound', timestamp: String(Date.now()), chunk: ++chunk, payload: SILENCE_20MS }, extra_headers: extra });
  }, 20);

  /**
   * What the last audio line was: a spoken value (`#`), or unknown audio shown without its length.
   * Either runs on as one line while frames of its kind follow, so no line count or duration
   * gives away how many digits a value had, nor which (en digits differ in length).
   */
  let run: 'value' | 'unknown' | undefined;
  const shown = (event: TryEvent): void => {
    run = undefined;
    o.show(event);
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const frame = parseOutboundFrame(data.toString());
    if (frame.event === 'playAudio') {
      const known = o.prompts?.get(frame.payload);
      playback.audio(frame.durationMs, () => {
        // A spoken value is one `#` for its run (call/shown-play.ts), with no duration to count digits by.
        if (known?.name === SPOKEN_VALUE) {
          if (run !== 'value') o.show({ type: 'prompt', name: SPOKEN_VALUE });
          run = 'value';
        } else if (known) shown({ type: 'prompt', name: known.name, text: known.text, durationMs: frame.durationMs });
        // Audio no prompt names: digits in a language, voice or flow version the local index lacks,
        // a say reading a value. Never its length (digits differ in length, a say grows with them),
        // and one line for a run of it, as for a value.
        else {
          if (run !== 'unknown') o.show({ type: 'audio' });
          run = 'unknown';
        }
      });
    } else if (frame.event === 'checkpoint') playback.checkpoint(frame.name);
    else if (frame.event === 'clearAudio') {
      shown({ type: 'clear' });
      playback.clear();
    } else if (frame.event === 'sendDTMF') {
      // The tones on the wire are raw and this end cannot tell which are a caller's secret: masked whole.
      shown({ type: 'sendDtmf', dtmf: MASK });
    }
  });
  let hungUp = false;
  const done = new Promise<string>((resolve) => {
    ws.on('close', (code, reason) => {
      clearInterval(media);
      playback.stop();
      const why = hungUp ? 'hangup' : reason.toString() || `socket closed (${code})`;
      o.show({ type: 'end', reason: why });
      resolve(why);
    });
  });
  return {
    press(key) {
      if (ws.readyState !== WebSocket.OPEN) return;
      shown({ type: 'key', key });
      send({ event: 'dtmf', streamId, dtmf: { track: 'inbound', digit: key, timestamp: String(Date.now()) }, extra_headers: extra });
    },
    hangup() {
      if (ws.readyState !== WebSocket.OPEN) return;
      hungUp = true;
      ws.close(1000);
    },
    done,
  };
}
