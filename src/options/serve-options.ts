/**
 * The options of `ivr serve`: the one place each is written. The commander flags and `--help`
 * and the check of flags and environment before serve loads (src/cli/main.ts), the check of
 * `createServer` options given in code (src/plivo/server-options.ts) and the README "serve
 * options" table (test/docs/options.test.ts compares them) are all made from this list.
 *
 * To add an option: add one entry below, in the order `--help` should list it (`key` is the
 * field of the resolved config; `server: true` also makes it a `createServer` option, checked with
 * the same bounds). Pick the `kind` that reads the value (int, size, duration, choice, text,
 * switch, env-prefixes; src/options/option-schema.ts), give bounds to every number (a bad value is
 * a usage error, exit 2, before anything is opened), then paste `markdownTable(SERVE_OPTIONS)`'s
 * row into README.md (the test prints the table when they differ). The value then arrives in
 * `ServeConfig` (src/cli/serve-options.ts) typed, with its default applied.
 */
import { MEDIA_FORMATS } from '../audio/types.js';
import { FLOW_ID } from '../flow/flow-id.js';
import { splitCommandLine } from '../speech/command-line.js';
import { DEFAULT_TTS_CACHE } from '../speech/synthesizer.js';
import type { IntSpec, OptionSpec } from './option-schema.js';

/** pino's levels, plus `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;


const MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const KIB = 1024;
const MIB = 1024 * 1024;

function checkUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  return ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) ? undefined : 'must be an http(s) or ws(s) URL';
}

function checkCommandLine(text: string): string | undefined {
  try {
    splitCommandLine(text);
    return undefined;
  } catch (err) {
    return `cannot be read: ${(err as Error).message}`;
  }
}

/** `--max-flow-states`: `ivr serve` refuses a bigger flow, `ivr validate` reports it (compile/flow-size.ts). */
export const MAX_FLOW_STATES = {
  key: 'maxFlowStates',
  flag: '--max-flow-states <n>',
  kind: 'int',
  min: 1,
  max: 1_000_000,
  default: 2000,
  doc: "most states one flow's machine may have, subflows inlined; a bigger flow is refused: the serving thread would stall building it (Reliability)",
} as const satisfies IntSpec;

export const SERVE_OPTIONS = [
  { key: 'port', flag: '--port <port>', env: 'IVR_PORT', kind: 'int', min: 0, max: 65535, default: 8080, server: true, doc: 'port to listen on (`0`: any free port)' },
  { key: 'host', flag: '--host <host>', env: 'IVR_HOST', kind: 'text', default: '0.0.0.0', server: true, doc: 'address to listen on' },
  {
    key: 'contentType',
    flag: '--content-type <type>',
    kind: 'choice',
    choices: MEDIA_FORMATS,
    default: 'audio/x-mulaw;rate=8000',
    server: true,
    doc: 'codec the answer XML asks for (every codec works on `/stream` whatever this says)',
  },
  {
    key: 'publicUrl',
    flag: '--public-url <url>',
    env: 'IVR_PUBLIC_URL',
    kind: 'text',
    check: checkUrl,
    defaultText: "the request's Host header",
    server: true,
    doc: 'base URL Plivo reaches this server at, for the answer XML; `https://` becomes `wss://` in the XML',
  },
  {
    key: 'defaultFlow',
    flag: '--default-flow <id>',
    kind: 'text',
    check: (text: string) => (FLOW_ID.test(text) ? undefined : 'is not a flow id'),
    default: 'main',
    server: true,
    doc: 'flow for `/stream` and `/answer` without a flow',
  },
  { key: 'recordings', flag: '--recordings <dir>', env: 'IVR_RECORDINGS', kind: 'text', default: './recordings', doc: "folder for `record` nodes' WAV files" },
  {
    key: 'env',
    flag: '--allow-env <prefixes...>',
    kind: 'env-prefixes',
    default: {},
    defaultText: 'none',
    doc: 'environment variables starting with these prefixes are visible to flows as `env.NAME` (repeatable)',
  },
  {
    key: 'varTexts',
    flag: '--var <flow.name=value...>',
    kind: 'flow-vars',
    default: {},
    defaultText: 'none',
    doc: "sets a flow's variable for this deployment, read as the type its `vars:` declares (repeatable; checked when the flows load and at each reload)",
  },
  {
    key: 'startTimeoutMs',
    flag: '--start-timeout <duration>',
    kind: 'duration',
    min: 1,
    max: MS.h,
    default: 10 * MS.s,
    server: true,
    doc: 'close a stream (1008) that sends no `start` frame within this',
  },
  {
    key: 'maxPayload',
    flag: '--max-payload <bytes>',
    kind: 'size',
    min: KIB,
    max: 64 * MIB,
    default: 64 * KIB,
    server: true,
    doc: "largest WebSocket message (Plivo's are a few hundred bytes), `k`/`m` suffixes allowed; larger closes the stream with 1009",
  },
  {
    key: 'playbackGraceMs',
    flag: '--playback-grace <duration>',
    kind: 'duration',
    min: 0,
    max: 10 * MS.m,
    default: 2 * MS.s,
    server: true,
    doc: 'a prompt whose checkpoint is not acknowledged within its duration plus this counts as played',
  },
  { key: 'logLevel', flag: '--log-level <level>', env: 'IVR_LOG_LEVEL', kind: 'choice', choices: LOG_LEVELS, default: 'info', doc: 'JSON log lines on stdout from this level up' },
  { key: 'records', flag: '--records <file>', env: 'IVR_RECORDS', kind: 'text', default: 'calls.jsonl', doc: 'append one JSON line per finished call to this file (Operations)' },
  {
    key: 'drainTimeoutMs',
    flag: '--drain-timeout <duration>',
    kind: 'duration',
    min: 0,
    max: MS.h,
    default: 30 * MS.s,
    doc: 'on SIGTERM/SIGINT, calls in progress may run this long, then end with reason `shutdown` (Operations)',
  },
  { key: 'reload', flag: '--no-reload', kind: 'switch', default: true, defaultText: 'reload on', doc: 'do not watch the flows folder for changes (hot reload is on by default; Operations)' },
  {
    key: 'reloadTimeoutMs',
    flag: '--reload-timeout <duration>',
    kind: 'duration',
    min: 100,
    max: MS.h,
    default: 30 * MS.s,
    doc: 'a load of the flows (at start and at each reload, in a worker thread) must finish within this, or it is refused (Reliability)',
  },
  {
    key: 'reloadMemoryMb',
    flag: '--reload-memory <mb>',
    kind: 'int',
    min: 16,
    max: 64 * 1024,
    default: 512,
    doc: 'heap limit of the worker thread that loads the flows, in MB; a load needing more is refused (Reliability)',
  },
  MAX_FLOW_STATES,
  {
    key: 'rescanMs',
    flag: '--rescan-interval <duration>',
    kind: 'duration',
    min: 0,
    max: MS.h,
    default: MS.s,
    doc: 'how often the flows folder is rescanned for a change the file watcher missed (`0`: never)',
  },
  {
    key: 'workers',
    flag: '--workers <n>',
    env: 'IVR_WORKERS',
    kind: 'int',
    min: 0,
    max: 256,
    default: 0,
    doc: 'fork `n` worker processes sharing the port, one per core; `0` serves in this process',
  },
  {
    key: 'maxCalls',
    flag: '--max-calls <n>',
    kind: 'int',
    min: 0,
    max: 1_000_000,
    default: 1000,
    server: true,
    doc: 'streams open at once; more upgrades are refused with 503 (`0`: no limit)',
  },
  {
    key: 'maxFrameRate',
    flag: '--max-frame-rate <n>',
    kind: 'int',
    min: 0,
    max: 1_000_000,
    default: 200,
    server: true,
    doc: 'frames per second a stream may send sustained; above it (and the burst) the stream is closed with 1008 `frame flood` (`0`: off)',
  },
  {
    key: 'frameBurst',
    flag: '--frame-burst <n>',
    kind: 'int',
    min: 1,
    max: 10_000_000,
    default: 1000,
    server: true,
    doc: 'frames a stream may send at once above `--max-frame-rate` (up to twice this right after a quiet spell: the bucket reads the clock only when empty)',
  },
  {
    key: 'maxBufferedBytes',
    flag: '--max-buffered <bytes>',
    kind: 'size',
    min: KIB,
    max: 1024 * MIB,
    default: MIB,
    server: true,
    doc: 'output queued for a stream that stops reading before it is cut, `k`/`m` suffixes allowed',
  },
  {
    key: 'ttsCommand',
    flag: '--tts-command <command>',
    env: 'IVR_TTS_COMMAND',
    kind: 'text',
    check: checkCommandLine,
    defaultText: 'the bundled eSpeak NG',
    doc: 'speak text prompts and `say` items with this program: the text on stdin, `IVR_TTS_LANGUAGE`/`IVR_TTS_VOICE` in its environment, a WAV on stdout (Speech)',
  },
  {
    key: 'ttsEnv',
    flag: '--tts-env <prefixes...>',
    kind: 'env-prefixes',
    default: {},
    defaultText: 'none',
    doc: 'environment variables starting with these prefixes are passed on to the `--tts-command` program (its credentials); it otherwise gets only what a program needs to run: paths, locale, time zone, proxy and CA settings (repeatable; Speech)',
  },
  {
    key: 'ttsCache',
    flag: '--tts-cache <dir>',
    env: 'IVR_TTS_CACHE',
    kind: 'text',
    default: DEFAULT_TTS_CACHE,
    doc: 'folder where prompts synthesized from text are kept across restarts (Speech)',
  },
] as const satisfies readonly OptionSpec[];

/** `createServer` options that have no flag (code callers and tests set them). */
export const SERVER_ONLY_OPTIONS = [
  { key: 'badFrameLogLimit', flag: '', kind: 'int', min: 0, max: 1_000_000, default: 5, server: true, doc: 'bad-frame log lines per connection per 10 s (all are still counted)' },
] as const satisfies readonly OptionSpec[];

/** The README row for the positional argument, above the options. */
export const SERVE_PATHS_ROW = '| `[flows folder]` | | `flows/` | | where the flows are (`*.test.yaml` files are skipped) |';
