/**
 * One Plivo stream: waits for `start`, starts the call session on the flow version current at that
 * moment, routes frames to it, and turns the socket closing into a hang-up. Every handler is
 * guarded: nothing a call sends can throw out of here, so one call never stops the process or
 * another call (STYLE.md principle 7).
 */
import type { WebSocket, RawData } from 'ws';
import type { CallSession } from '../call/call-session.js';
import type { CallLog } from '../call/call-log.js';
import type { Transport } from '../call/transport.js';
import type { BadFrame, StartFrame } from './frames.js';
import { parseFrame, type FrameContext } from './parse-frame.js';
import type { ResolvedServerOptions, ServerLog, StartCall } from './server-options.js';
import type { ServerStats } from './server-stats.js';
import { BadFrameLogLimiter } from './bad-frame-log.js';
import { FLOOD_CLOSE_GRACE_MS, TokenBucket, sendBufferFull } from './limits.js';
import { frameBytes } from './frame-bytes.js';
import { CLOSE, closeReason } from '../call/close-codes.js';


/** Every frame to Plivo is a text frame, Buffers included. */
const SEND_TEXT = { binary: false } as const;

export interface ConnectionContext {
  options: ResolvedServerOptions;
  startCall: StartCall;
  stats: ServerStats;
  log: ServerLog;
  /** Flow id from the URL (`/stream/<id>`), undefined for `/stream`. */
  routeFlow: string | undefined;
}

export function handleConnection(ws: WebSocket, ctx: ConnectionContext): void {
  const { options, stats } = ctx;
  const clock = options.clock;
  const frameCtx: FrameContext = { started: false, wantsMedia: false };
  const limiter = new BadFrameLogLimiter(options.badFrameLogLimit, 10_000, clock);
  let session: CallSession | undefined;
  // Read on every media frame: the session's own flag object, one hop away (CallSession.mediaGate).
  let gate: { readonly open: boolean } | undefined;
  let log: CallLog = ctx.log;
  let closed = false;
  // Checked before parsing: a flood costs one subtraction per frame until the stream is cut.
  const bucket = options.maxFrameRate > 0 ? new TokenBucket(options.maxFrameRate, options.frameBurst, () => clock.now()) : undefined;
  stats.connectionOpened();

  const close = (code: number, reason: string): void => {
    if (closed) return;
    closed = true;
    try {
      ws.close(code, closeReason(reason));
    } catch (error) {
      log.warn({ err: String(error) }, 'closing the socket failed');
      ws.terminate();
    }
  };

  const startTimer = clock.setTimeout(() => {
    if (session === undefined) {
      log.warn({ timeoutMs: options.startTimeoutMs }, 'no start frame in time: closing the stream');
      stats.startTimeout();
      close(CLOSE.policy, 'no start frame');
    }
  }, options.startTimeoutMs);

  const transport: Transport = {
    send(text) {
      if (closed || ws.readyState !== ws.OPEN) return;
      // A prompt's playAudio frame goes out as shared bytes, not a fresh copy per send (frame-bytes.ts).
      ws.send(frameBytes.of(text), SEND_TEXT);
      if (sendBufferFull(ws.bufferedAmount, options.maxBufferedBytes)) {
        // The peer stopped reading: a close frame would queue behind the audio, so cut the socket.
        closed = true;
        stats.limitHit('slowReaders');
        log.warn({ bufferedBytes: ws.bufferedAmount, limit: options.maxBufferedBytes }, 'the peer is not reading: send buffer full, cutting the stream');
        ws.terminate();
      }
    },
    close(code, reason) {
      close(code, reason);
    },
  };

  const reportBad = (bad: BadFrame): void => {
    stats.badFrame(bad.kind);
    const verdict = limiter.admit();
    if (verdict === 'log') log.warn({ kind: bad.kind, callId: session?.callId }, `bad frame: ${bad.message}`);
    else if (verdict === 'first-suppressed') log.warn({ kind: bad.kind }, 'more bad frames on this stream: logging paused for 10 s (still counted)');
  };

  const onStart = (frame: StartFrame): void => {
    const flowId = ctx.routeFlow ?? frame.call.headers.flow ?? options.defaultFlow;
    const serving = options.flows();
    const flow = serving.flows.get(flowId);
    if (flow === undefined) {
      log.warn({ flow: flowId, callId: frame.call.callId }, 'start frame for an unknown flow: closing the stream');
      stats.unknownFlow();
      close(CLOSE.policy, `unknown flow ${flowId}`);
      return;
    }
    clock.clearTimeout(startTimer);
    frameCtx.started = true;
    log = ctx.log.child?.({ callId: frame.call.callId, flow: flow.id, version: flow.version }) ?? ctx.log;
    const start = { call: frame.call, format: frame.format };
    const vars = options.vars?.[flow.id];
    try {
      session = ctx.startCall(start, transport, {
        flow,
        prompts: serving.prompts,
        clock,
        fetcher: options.fetcher,
        playbackGraceMs: options.playbackGraceMs,
        log,
        ...(options.recordings ? { recordings: options.recordings } : {}),
        ...(options.env ? { env: { ...options.env } } : {}),
        ...(vars ? { vars: { ...vars } } : {}),
        ...(options.watchers ? { watchers: options.watchers } : {}),
      });
    } catch (error) {
      stats.handlerError();
      log.error({ err: error instanceof Error ? error.stack : String(error) }, 'the call session failed to start');
      close(CLOSE.internal, 'error');
      return;
    }
    stats.callStarted(flow.id);
    gate = session.mediaGate;
    const active = session;
    void active.done.then(
      (summary) => stats.callEnded(summary.endReason),
      () => stats.callEnded('error'),
    );
    options.onCall?.(active, start);
  };

  const onMessage = (data: RawData, isBinary: boolean): void => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    frameCtx.wantsMedia = gate !== undefined && gate.open;
    const parsed = parseFrame(buf, isBinary, frameCtx);
    if (!parsed.ok) return reportBad(parsed.bad);
    const frame = parsed.frame;
    stats.frameIn(frame.event);
    switch (frame.event) {
      case 'start':
        return onStart(frame);
      case 'media':
        if (frame.payload !== undefined) session?.media(frame.payload);
        return;
      case 'dtmf':
        return session?.dtmf(frame.digit);
      case 'playedStream':
        return session?.played(frame.name);
      case 'clearedAudio':
        return session?.cleared();
      case 'stop':
        // The stream is ending (plivo-protocol.md, "More facts"): the caller has left.
        log.info({ reason: frame.reason }, 'stop frame: the stream is ending');
        session?.hangup();
        return close(CLOSE.normal, 'stopped');
      case 'playFailed':
        log.warn({ reason: frame.reason, checkpoint: frame.name }, 'Plivo could not play queued audio: the prompt counts as finished');
        return session?.playFailed?.(frame.name);
      case 'error':
        log.warn({ reason: frame.reason }, 'Plivo reported a stream error');
        return;
      case 'muteStream':
      case 'unmuteStream':
        log.info({}, frame.event === 'muteStream' ? 'stream muted' : 'stream unmuted');
        return;
    }
  };

  ws.on('message', (data, isBinary) => {
    if (closed) return;
    if (bucket !== undefined && !bucket.take()) {
      stats.limitHit('floods');
      log.warn({ maxFrameRate: options.maxFrameRate, frameBurst: options.frameBurst }, 'frames far above Plivo\'s rate: closing the stream');
      close(CLOSE.policy, 'frame flood');
      // Stop reading at once (what the flooder already sent is never parsed); the close frame
      // still goes out, and the socket is cut once it has had a moment to leave.
      ws.pause();
      clock.setTimeout(() => ws.terminate(), FLOOD_CLOSE_GRACE_MS);
      return;
    }
    try {
      onMessage(data, isBinary);
    } catch (error) {
      stats.handlerError();
      log.error({ err: error instanceof Error ? error.stack : String(error) }, 'error while handling a frame (the call goes on)');
    }
  });

  ws.on('error', (error: Error & { code?: string }) => {
    // `ws` reports protocol breaches here and then closes the socket itself (1009 for maxPayload).
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') reportBad({ kind: 'too-large', message: `message over maxPayload (${options.maxPayload} bytes)` });
    // RFC 6455 §8.1: a text frame that is not UTF-8 fails the connection (ws closes it with 1007).
    else if (error.code === 'WS_ERR_INVALID_UTF8') reportBad({ kind: 'invalid-json', message: 'text frame that is not UTF-8 (stream closed with 1007)' });
    else log.warn({ err: error.message, code: error.code }, 'websocket error');
  });

  ws.on('close', (code, reason) => {
    closed = true;
    clock.clearTimeout(startTimer);
    stats.connectionClosed();
    try {
      // After the flow ended the session ignores this; otherwise the caller hung up.
      session?.hangup();
    } catch (error) {
      stats.handlerError();
      log.error({ err: String(error) }, 'error while hanging up');
    }
    log.info({ code, reason: reason.toString() }, 'stream closed');
  });
}
