/**
 * `ivr serve` options: flags win over environment variables, which win over defaults. Pure (the
 * environment is passed in), so the precedence is testable; usage errors are returned as data.
 */
import { MEDIA_FORMATS, type MediaFormat } from '../audio/types.js';
import { parseDuration } from '../flow/duration.js';
import { SERVER_DEFAULTS } from '../plivo/server-options.js';

/** What commander hands over (camelCased flags); everything optional. */
export interface ServeFlags {
  port?: string;
  host?: string;
  publicUrl?: string;
  contentType?: string;
  defaultFlow?: string;
  recordings?: string;
  allowEnv?: string[] | string;
  startTimeout?: string;
  maxPayload?: string;
  playbackGrace?: string;
  logLevel?: string;
  records?: string;
  drainTimeout?: string;
  /** `--no-reload` sets it false. */
  reload?: boolean;
  maxCalls?: string;
  maxFrameRate?: string;
  frameBurst?: string;
  maxBuffered?: string;
  workers?: string;
}

export interface ServeConfig {
  paths: string[];
  port: number;
  host: string;
  publicUrl?: string;
  contentType: MediaFormat;
  defaultFlow: string;
  recordings: string;
  /** Allow-listed environment values (`env.NAME` in flows). */
  env: Record<string, string>;
  startTimeoutMs: number;
  maxPayload: number;
  playbackGraceMs: number;
  logLevel: string;
  /** Call records file (JSON lines), default `calls.jsonl`. */
  records: string;
  /** SIGTERM/SIGINT: calls in progress may run this long before ending with `shutdown`. Default 30 s. */
  drainTimeoutMs: number;
  /** Watch the flows and reload on change (default true). */
  reload: boolean;
  /** Overload limits (src/plivo/limits.ts). */
  maxCalls: number;
  maxFrameRate: number;
  frameBurst: number;
  maxBufferedBytes: number;
  /** `--workers N`: fork N processes sharing the port (src/plivo/cluster.ts); 0 = serve in this process. */
  workers: number;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export function resolveServeConfig(
  args: readonly string[],
  flags: ServeFlags,
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; config: ServeConfig } | { ok: false; message: string } {
  const problems: string[] = [];
  const pick = (flag: string | undefined, envName: string | undefined): string | undefined => flag ?? (envName ? env[envName] : undefined);

  const portText = pick(flags.port, 'IVR_PORT');
  const port = portText === undefined ? SERVER_DEFAULTS.port : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port must be 0-65535, got ${JSON.stringify(portText)}`);

  const contentType = (flags.contentType ?? SERVER_DEFAULTS.contentType) as MediaFormat;
  if (!MEDIA_FORMATS.includes(contentType)) problems.push(`--content-type must be one of ${MEDIA_FORMATS.join(', ')}, got ${JSON.stringify(flags.contentType)}`);

  const duration = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const ms = parseDurationText(text);
    if (ms === undefined) problems.push(`${name} must be a duration like 500ms, 10s or 2m, got ${JSON.stringify(text)}`);
    return ms ?? fallback;
  };
  const startTimeoutMs = duration('--start-timeout', flags.startTimeout, SERVER_DEFAULTS.startTimeoutMs);
  const playbackGraceMs = duration('--playback-grace', flags.playbackGrace, SERVER_DEFAULTS.playbackGraceMs);
  const drainTimeoutMs = duration('--drain-timeout', flags.drainTimeout, 30_000);

  let maxPayload: number = SERVER_DEFAULTS.maxPayload;
  if (flags.maxPayload !== undefined) {
    const m = /^(\d+)\s*([km]?)i?b?$/i.exec(flags.maxPayload.trim());
    if (!m) problems.push(`--max-payload must be a size in bytes like 65536 or 64k, got ${JSON.stringify(flags.maxPayload)}`);
    else maxPayload = Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1024 : m[2]?.toLowerCase() === 'm' ? 1024 * 1024 : 1);
    if (maxPayload < 1024) problems.push('--max-payload must be at least 1k: Plivo start frames are a few hundred bytes');
  }

  const count = (name: string, text: string | undefined, fallback: number, min: number): number => {
    if (text === undefined) return fallback;
    const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min) problems.push(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(text)}`);
    return Number.isSafeInteger(n) ? n : fallback;
  };
  const maxCalls = count('--max-calls', flags.maxCalls, SERVER_DEFAULTS.maxCalls, 0);
  const maxFrameRate = count('--max-frame-rate', flags.maxFrameRate, SERVER_DEFAULTS.maxFrameRate, 0);
  const frameBurst = count('--frame-burst', flags.frameBurst, SERVER_DEFAULTS.frameBurst, 1);
  const workers = count('--workers', pick(flags.workers, 'IVR_WORKERS'), 0, 0);
  if (workers > 256) problems.push(`--workers must be at most 256, got ${workers}`);
  let maxBufferedBytes: number = SERVER_DEFAULTS.maxBufferedBytes;
  if (flags.maxBuffered !== undefined) {
    const m = /^(\d+)\s*([km]?)i?b?$/i.exec(flags.maxBuffered.trim());
    if (!m) problems.push(`--max-buffered must be a size in bytes like 1048576 or 1m, got ${JSON.stringify(flags.maxBuffered)}`);
    else maxBufferedBytes = Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1024 : m[2]?.toLowerCase() === 'm' ? 1024 * 1024 : 1);
    if (maxBufferedBytes < 1024) problems.push('--max-buffered must be at least 1k');
  }

  const publicUrl = pick(flags.publicUrl, 'IVR_PUBLIC_URL');
  if (publicUrl !== undefined) {
    try {
      new URL(publicUrl);
    } catch {
      problems.push(`--public-url is not a URL: ${JSON.stringify(publicUrl)}`);
    }
  }

  const logLevel = pick(flags.logLevel, 'IVR_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);

  const prefixes = flags.allowEnv === undefined ? [] : Array.isArray(flags.allowEnv) ? flags.allowEnv : [flags.allowEnv];
  const allowed: Record<string, string> = {};
  for (const prefix of prefixes) {
    if (prefix === '') problems.push('--allow-env needs a non-empty prefix (an empty one would expose the whole environment)');
    for (const [name, value] of Object.entries(env)) if (prefix !== '' && name.startsWith(prefix) && value !== undefined) allowed[name] = value;
  }

  if (problems.length > 0) return { ok: false, message: problems.join('\n') };
  const records = pick(flags.records, 'IVR_RECORDS') ?? 'calls.jsonl';
  return {
    ok: true,
    config: {
      paths: args.length > 0 ? [...args] : ['flows/'],
      port,
      host: pick(flags.host, 'IVR_HOST') ?? SERVER_DEFAULTS.host,
      ...(publicUrl !== undefined ? { publicUrl } : {}),
      contentType,
      defaultFlow: flags.defaultFlow ?? SERVER_DEFAULTS.defaultFlow,
      recordings: pick(flags.recordings, 'IVR_RECORDINGS') ?? './recordings',
      env: allowed,
      startTimeoutMs,
      maxPayload,
      playbackGraceMs,
      logLevel,
      records,
      drainTimeoutMs,
      reload: flags.reload !== false,
      maxCalls,
      maxFrameRate,
      frameBurst,
      maxBufferedBytes,
      workers,
    },
  };
}

function parseDurationText(text: string): number | undefined {
  try {
    const ms = parseDuration(/^\d+$/.test(text) ? Number(text) : text);
    return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}
