/**
 * A Plivo-like client for tests, over a real WebSocket: it sends what Plivo's media server sends
 * (start, media, dtmf, playedStream, clearedAudio) and plays back like it does: every `playAudio`
 * is queued for its audio's duration in the call's format, a `checkpoint` is acknowledged once the
 * audio queued before it has "played", a cleared checkpoint is never acknowledged.
 *
 * Two playback modes: `manual` (default) — nothing is acknowledged until the test calls `ackAll()`,
 * as if playback finished at that moment, so tests run at full speed; `realtime` — each checkpoint
 * is acknowledged when its audio would have finished playing.
 *
 *   const client = await PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/support`, prompts });
 *   assert.deepEqual(await client.nextPrompt(), ['welcome']);
 *   client.ackAll();
 *   client.press('1');
 *
 * Audio carries no names, so `prompts` (see `promptIndex`) maps each payload back to the prompt
 * name it was built from.
 */
import { WebSocket } from 'ws';
import type { MediaFormat, PromptStore } from '../../src/audio/types.js';
import { promptUsesOf } from '../../src/audio/prompt-names.js';
import { SYSTEM_PROMPT_NAMES } from '../../src/audio/system-set.js';
import type { FlowDoc } from '../../src/flow/types.js';

export interface ReceivedFrame {
  event: string;
  /** ms since the client connected. */
  at: number;
  /** The JSON as sent. */
  json: Record<string, unknown>;
  /** `playAudio`: the prompt name this audio is (`?<bytes>` when unknown, `silence` for silence). */
  prompt?: string;
  /** `playAudio`: audio bytes and playing time in the call's format. */
  bytes?: number;
  durationMs?: number;
}

export interface PlivoClientOptions {
  url: string;
  format?: MediaFormat;
  /** Sent as the start frame's `extra_headers` (`a=1;b=2`). */
  headers?: Record<string, string>;
  callId?: string;
  streamId?: string;
  playback?: 'manual' | 'realtime';
  /** base64 payload -> prompt name (see `promptIndex`). */
  prompts?: ReadonlyMap<string, string>;
  /** Send the start frame on open (default true). */
  start?: boolean;
  /** Client-side limit; default large so tests can send oversized frames. */
  maxPayload?: number;
  /** Headers of the upgrade request (Plivo's signature headers). */
  upgradeHeaders?: Record<string, string>;
}

interface Pending {
  name: string;
  due: number;
  timer?: NodeJS.Timeout;
}

let calls = 0;

export class PlivoClient {
  readonly frames: ReceivedFrame[] = [];
  /** Resolves with the close code and reason, whoever closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  closeInfo: { code: number; reason: string } | undefined;
  /** Index into `frames` up to which `next*` helpers have consumed. */
  cursor = 0;
  readonly format: MediaFormat;
  readonly callId: string;
  readonly streamId: string;

  private readonly t0 = Date.now();
  private queueEnd = 0;
  private pending: Pending[] = [];
  private waiters: (() => void)[] = [];
  private seq = 1;
  private chunk = 0;

  private constructor(
    readonly ws: WebSocket,
    private readonly options: PlivoClientOptions,
  ) {
    this.format = options.format ?? 'audio/x-mulaw;rate=8000';
    const n = ++calls;
    this.callId = options.callId ?? `call-${process.pid}-${n}`;
    this.streamId = options.streamId ?? `stream-${process.pid}-${n}`;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        for (const p of this.pending) clearTimeout(p.timer);
        this.notify();
        resolve(this.closeInfo);
      });
    });
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString()));
    ws.on('error', () => {});
  }

  /** Opens the socket and (unless `start: false`) sends the start frame. */
  static async connect(options: PlivoClientOptions): Promise<PlivoClient> {
    const ws = new WebSocket(options.url, { perMessageDeflate: false, maxPayload: options.maxPayload ?? 256 * 1024 * 1024, ...(options.upgradeHeaders ? { headers: options.upgradeHeaders } : {}) });
    const client = new PlivoClient(ws, options);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    if (options.start !== false) client.sendStart();
    return client;
  }

  private now(): number {
    return Date.now() - this.t0;
  }

  sendStart(): void {
    const [encoding, rate] = this.format.split(';rate=');
    const headers = Object.entries(this.options.headers ?? {}).map(([k, v]) => `${k}=${v}`).join(';');
    this.send({
      event: 'start', sequenceNumber: this.seq++,
      start: {
        callId: this.callId, streamId: this.streamId, accountId: 'MATESTACCOUNT', tracks: ['inbound'],
        mediaFormat: { encoding, sampleRate: Number(rate) },
      },
      extra_headers: headers,
    });
  }

  send(frame: object | string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  sendBinary(data: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data, { binary: true });
  }

  /** One `dtmf` frame per key, in order. */
  press(keys: string): void {
    for (const digit of keys) {
      this.send({ event: 'dtmf', sequenceNumber: this.seq++, streamId: this.streamId, dtmf: { track: 'inbound', digit, timestamp: String(Date.now()) } });
    }
  }

  /** Caller audio as `media` frames of 20 ms each (as Plivo sends it), all at once. */
  sendMedia(audio: Buffer): void {
    const bytesPer20ms = this.format === 'audio/x-mulaw;rate=8000' ? 160 : this.format === 'audio/x-l16;rate=8000' ? 320 : 640;
    for (let off = 0; off < audio.length; off += bytesPer20ms) {
      this.send(`{"event":"media","sequenceNumber":${this.seq++},"streamId":"${this.streamId}","media":{"track":"inbound","timestamp":"${Date.now()}","chunk":${++this.chunk},"payload":"${audio.subarray(off, off + bytesPer20ms).toString('base64')}"},"extra_headers":""}`);
    }
  }

  /** The caller hangs up: Plivo closes the socket. */
  hangup(): void {
    this.ws.close(1000);
  }

  /** Names of checkpoints sent and not yet acknowledged (cleared ones are gone). */
  pendingCheckpoints(): string[] {
    return this.pending.map((p) => p.name);
  }

  /** Acknowledges every pending checkpoint in order, as if all queued audio had just played. */
  ackAll(): void {
    const pending = this.pending;
    this.pending = [];
    this.queueEnd = this.now();
    for (const p of pending) {
      clearTimeout(p.timer);
      this.send({ event: 'playedStream', sequenceNumber: this.seq++, streamId: this.streamId, name: p.name });
    }
  }

  private onMessage(text: string): void {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = { event: '(not json)', text };
    }
    const frame: ReceivedFrame = { event: String(json.event), at: this.now(), json };
    if (frame.event === 'playAudio') this.queueAudio(frame);
    else if (frame.event === 'checkpoint') this.queueCheckpoint(String(json.name));
    else if (frame.event === 'clearAudio') this.clear();
    this.frames.push(frame);
    this.notify();
  }

  private queueAudio(frame: ReceivedFrame): void {
    const media = frame.json.media as { payload?: string } | undefined;
    const payload = media?.payload ?? '';
    const bytes = Buffer.byteLength(payload, 'base64');
    frame.bytes = bytes;
    frame.durationMs = audioDurationMs(bytes, this.format);
    frame.prompt = this.options.prompts?.get(payload) ?? (isSilence(payload) ? 'silence' : `?${bytes}`);
    this.queueEnd = Math.max(this.now(), this.queueEnd) + frame.durationMs;
  }

  private queueCheckpoint(name: string): void {
    const p: Pending = { name, due: Math.max(this.now(), this.queueEnd) };
    this.pending.push(p);
    if (this.options.playback === 'realtime') {
      p.timer = setTimeout(() => {
        // Acknowledged in order: Plivo's queue plays front to back.
        const i = this.pending.indexOf(p);
        if (i < 0) return;
        for (const q of this.pending.splice(0, i + 1)) {
          clearTimeout(q.timer);
          this.send({ event: 'playedStream', sequenceNumber: this.seq++, streamId: this.streamId, name: q.name });
        }
      }, p.due - this.now());
    }
  }

  private clear(): void {
    for (const p of this.pending) clearTimeout(p.timer);
    this.pending = [];
    this.queueEnd = this.now();
    this.send({ event: 'clearedAudio', sequenceNumber: this.seq++, streamId: this.streamId });
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /**
   * Resolves with the first frame at or after index `from` (default: the cursor) that satisfies
   * `pred`; rejects after `timeoutMs` or when the socket closes first, with a transcript.
   */
  async waitFor(pred: (f: ReceivedFrame) => boolean, options: { from?: number; timeoutMs?: number } = {}): Promise<ReceivedFrame> {
    const from = options.from ?? this.cursor;
    const deadline = Date.now() + (options.timeoutMs ?? 3000);
    for (;;) {
      const i = this.frames.findIndex((f, k) => k >= from && pred(f));
      if (i >= 0) return this.frames[i]!;
      if (this.closeInfo) throw new Error(`socket closed (${this.closeInfo.code} ${this.closeInfo.reason}) before the awaited frame\n${this.transcript()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a frame\n${this.transcript()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the next frame (after the cursor) matching `pred`, and moves the cursor past it. */
  async next(pred: (f: ReceivedFrame) => boolean, timeoutMs?: number): Promise<ReceivedFrame> {
    const frame = await this.waitFor(pred, timeoutMs === undefined ? {} : { timeoutMs });
    this.cursor = this.frames.indexOf(frame) + 1;
    return frame;
  }

  /**
   * Waits for the next checkpoint and returns the names of the audio sent before it (since the
   * cursor), moving the cursor past it: one prompt playback, e.g. `['balance_is', 'number-40']`.
   */
  async nextPrompt(timeoutMs?: number): Promise<string[]> {
    const from = this.cursor;
    const checkpoint = await this.next((f) => f.event === 'checkpoint', timeoutMs);
    return this.promptsSince(from, this.frames.indexOf(checkpoint));
  }

  /** Prompt names of the `playAudio` frames from index `from` (default the cursor) to `to`. */
  promptsSince(from = this.cursor, to = this.frames.length): string[] {
    return this.frames.slice(from, to).filter((f) => f.event === 'playAudio').map((f) => f.prompt!);
  }

  /** Events received from index `from` (default the cursor), e.g. `['clearAudio', 'playAudio', 'checkpoint']`. */
  eventsSince(from = this.cursor): string[] {
    return this.frames.slice(from).map((f) => f.event);
  }

  transcript(): string {
    return this.frames.map((f) => `  ${String(f.at).padStart(6)} ms  ${f.event}${f.prompt ? ` ${f.prompt}` : f.event === 'playAudio' ? '' : ` ${JSON.stringify(f.json)}`}`).join('\n');
  }
}

/** Playing time of raw audio (plivo-protocol.md): μ-law 8 kHz = bytes / 8 ms; L16 = bytes / (2 × rate). */
export function audioDurationMs(bytes: number, format: MediaFormat): number {
  if (format === 'audio/x-mulaw;rate=8000') return bytes / 8;
  return (bytes / (2 * (format === 'audio/x-l16;rate=16000' ? 16000 : 8000))) * 1000;
}

function isSilence(base64: string): boolean {
  // μ-law silence is 0xFF ("/w==" repeats as "////"), L16 silence is zeros ("AAAA").
  return /^(\/\/\/\/)*(\/w==|\/\/8=)?$/.test(base64) || /^(AAAA)*(AA==|AAA=)?$/.test(base64);
}

/**
 * base64 audio -> prompt name for every prompt the given flows can play in `format`, plus the
 * system set (digits, numbers, beep). When two names share the same audio the first flow's wins.
 */
export function promptIndex(store: PromptStore, flows: Iterable<{ id: string; doc: FlowDoc }>, format: MediaFormat): Map<string, string> {
  const index = new Map<string, string>();
  for (const flow of flows) {
    const names = [...promptUsesOf(flow.doc).names.keys(), ...SYSTEM_PROMPT_NAMES];
    for (const name of names) {
      const audio = store.get(flow.id, name, format);
      if (audio && !index.has(audio.base64)) index.set(audio.base64, name);
    }
  }
  return index;
}
