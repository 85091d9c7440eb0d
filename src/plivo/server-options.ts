/**
 * Options of the Plivo server: every limit is an option with a documented default, validated and
 * frozen once, at `createServer`, so a bad value fails at start and never mid-call.
 */
import type { IncomingMessage } from 'node:http';
import { MEDIA_FORMATS, type MediaFormat } from '../audio/types.js';
import type { CallLog } from '../call/call-log.js';
import type { CallObserver, CallSession, CallSessionOptions, StartInfo } from '../call/call-session.js';
import type { Clock } from '../call/clock.js';
import type { Fetcher } from '../call/fetcher.js';
import type { RecordingSink } from '../call/recording-sink.js';
import type { Transport } from '../call/transport.js';
import { FLOW_ID } from '../flow/flow-id.js';
import { LIMIT_DEFAULTS } from './limits.js';
import type { ServingFlows } from './serving-flows.js';

/** Answer of the `authorize` hook (see src/plivo/signature.ts). */
export type Authorization = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** A pino-compatible logger (pino's child() included): the server logs through it, tests pass a recorder. */
export interface ServerLog extends CallLog {
  child?(bindings: object): CallLog;
}

export type StartCall = (start: StartInfo, transport: Transport, options: CallSessionOptions) => CallSession;

export interface ServerOptions {
  /** Where to listen: default 8080 (0 = any free port). */
  port?: number;
  /** Default `0.0.0.0`. */
  host?: string;
  /**
   * The base URL Plivo reaches this server at (`https://ivr.example.com`): the `/answer` XML points
   * Plivo's WebSocket at `wss://<its host>/stream/<id>`. Default: the request's `Host` header.
   */
  publicUrl?: string;
  /** The codec `/answer` asks Plivo for; default `audio/x-mulaw;rate=8000`. */
  contentType?: MediaFormat;
  /** Flow for `/stream` when the start frame has no `flow` extra header; default `main`. */
  defaultFlow?: string;
  /** Close with 1008 when no start frame arrives within this; default 10 000 ms. */
  startTimeoutMs?: number;
  /** Largest accepted WebSocket message; bigger ones close the socket with 1009. Default 64 KiB. */
  maxPayload?: number;
  /** Passed to the call session: no checkpoint ack within audio duration + grace => treat as played. Default 2000 ms. */
  playbackGraceMs?: number;
  /** The flows serving NEW calls, asked at each call's start (hot reload swaps what it returns). */
  flows: () => ServingFlows;
  /** Where `record` nodes write. Default: none (a record node then fails to its onError). */
  recordings?: RecordingSink;
  /** Allow-listed environment values, visible to expressions as `env.NAME`. */
  env?: Readonly<Record<string, string>>;
  /** Initial values overriding a flow's `vars`, by flow id (tests point fetch URLs at loopback servers). */
  vars?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Called for the WebSocket upgrade and `/answer` before anything else (a POST `/answer` with its
   * form parameters, which Plivo signs too); default: everything allowed.
   */
  authorize?: (req: IncomingMessage, form?: URLSearchParams) => Authorization;
  /** Every call's observer (metrics, call records); the session calls it. */
  observer?: CallObserver;
  /** Called once per call, after the session started (metrics, records, drain bookkeeping). */
  onCall?: (session: CallSession, start: StartInfo) => void;
  log?: ServerLog;
  clock?: Clock;
  fetcher?: Fetcher;
  /** The call session factory; default `startCall` of src/call/call-session.ts (tests inject fakes). */
  startCall?: StartCall;
  /** At most this many bad-frame log lines per connection per 10 s; default 5 (all are still counted). */
  badFrameLogLimit?: number;
  /**
   * Overload limits (src/plivo/limits.ts). A stream sending more than `maxFrameRate` frames a
   * second sustained, beyond a burst of `frameBurst`, is closed with 1008 `frame flood`; default
   * 200/s and 1000 (Plivo sends ~50/s). 0 turns the check off.
   */
  maxFrameRate?: number;
  frameBurst?: number;
  /** A stream whose unsent output (ws `bufferedAmount`) passes this is cut; default 1 MiB. */
  maxBufferedBytes?: number;
  /** Streams open at once; further upgrades are refused with 503. Default 1000; 0: no limit. */
  maxCalls?: number;
}

type LimitOption = 'maxFrameRate' | 'frameBurst' | 'maxBufferedBytes' | 'maxCalls';

export type ResolvedServerOptions = Readonly<
  Required<Pick<ServerOptions, 'port' | 'host' | 'contentType' | 'defaultFlow' | 'startTimeoutMs' | 'maxPayload' | 'playbackGraceMs' | 'badFrameLogLimit' | LimitOption>> &
    Omit<ServerOptions, 'port' | 'host' | 'contentType' | 'defaultFlow' | 'startTimeoutMs' | 'maxPayload' | 'playbackGraceMs' | 'badFrameLogLimit' | LimitOption>
>;

export const SERVER_DEFAULTS = {
  port: 8080,
  host: '0.0.0.0',
  contentType: 'audio/x-mulaw;rate=8000' as MediaFormat,
  defaultFlow: 'main',
  startTimeoutMs: 10_000,
  maxPayload: 64 * 1024,
  playbackGraceMs: 2000,
  badFrameLogLimit: 5,
  ...LIMIT_DEFAULTS,
} as const;

/** Problems with the options, in plain words; empty when they are usable. */
export function checkServerOptions(o: ServerOptions): string[] {
  const problems: string[] = [];
  const int = (name: string, v: number | undefined, min: number, max: number): void => {
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) problems.push(`${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
  };
  int('port', o.port, 0, 65535);
  int('startTimeoutMs', o.startTimeoutMs, 1, 3_600_000);
  int('maxPayload', o.maxPayload, 1024, 64 * 1024 * 1024);
  int('playbackGraceMs', o.playbackGraceMs, 0, 600_000);
  int('badFrameLogLimit', o.badFrameLogLimit, 0, 1_000_000);
  int('maxFrameRate', o.maxFrameRate, 0, 1_000_000);
  int('frameBurst', o.frameBurst, 1, 10_000_000);
  int('maxBufferedBytes', o.maxBufferedBytes, 1024, 1024 * 1024 * 1024);
  int('maxCalls', o.maxCalls, 0, 1_000_000);
  if (o.contentType !== undefined && !MEDIA_FORMATS.includes(o.contentType)) {
    problems.push(`contentType must be one of ${MEDIA_FORMATS.join(', ')}, got ${JSON.stringify(o.contentType)}`);
  }
  if (o.publicUrl !== undefined) {
    try {
      const url = new URL(o.publicUrl);
      if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) problems.push(`publicUrl must be an http(s) or ws(s) URL, got ${o.publicUrl}`);
    } catch {
      problems.push(`publicUrl is not a URL: ${JSON.stringify(o.publicUrl)}`);
    }
  }
  if (o.defaultFlow !== undefined && !FLOW_ID.test(o.defaultFlow)) problems.push(`defaultFlow is not a flow id: ${JSON.stringify(o.defaultFlow)}`);
  if (typeof o.flows !== 'function') problems.push('flows must be a function returning the flows that serve new calls');
  return problems;
}

/** Defaults applied, checked, frozen. Throws (at start, a programmer/usage error) when invalid. */
export function resolveServerOptions(o: ServerOptions): ResolvedServerOptions {
  const problems = checkServerOptions(o);
  if (problems.length > 0) throw new Error(`invalid server options: ${problems.join('; ')}`);
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.freeze({ ...SERVER_DEFAULTS, ...defined } as ResolvedServerOptions);
}
