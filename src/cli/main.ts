import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { UsageError } from './usage-error.js';

/** Exit codes (STYLE.md, "The CLI is a table of commands"). */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/** What every command module exports: takes its arguments and options, returns the exit code. */
type Run = (args: string[], options: Record<string, unknown>) => Promise<number>;

interface CommandEntry {
  name: string;
  /** Commander argument syntax: `<paths...>`, `[paths...]`, `<flow>`. */
  args: string;
  summary: string;
  /** [flags, description, default] as commander takes them. */
  options: [string, string, (string | boolean | string[])?][];
  /** Lazily imported, so `ivr validate` never loads the server and `--help` loads nothing. */
  load: () => Promise<{ run: Run }>;
}

/**
 * The command table. Each command lives in its own file (src/cli/<name>.ts) exporting
 * `run(args, options): Promise<number>`; keep each entry a few lines.
 */
const COMMANDS: CommandEntry[] = [
  {
    name: 'validate',
    args: '<paths...>',
    summary: 'check flow files and folders: YAML, schema, targets, prompts, expressions',
    options: [
      ['--format <format>', 'output: text, json or github (workflow annotations)', 'text'],
      ['--strict', 'warnings fail too (exit 1)', false],
    ],
    load: () => import('./validate.js') as Promise<{ run: Run }>,
  },
  {
    name: 'compile',
    args: '<paths...>',
    summary: 'compile flows to their state machines and print them',
    options: [['--format <format>', 'output: json or text', 'json']],
    load: () => import(modulePath('compile')) as Promise<{ run: Run }>,
  },
  {
    name: 'serve',
    args: '[paths...]',
    summary: 'serve live calls over Plivo Audio Streaming (WebSocket)',
    options: [
      // Defaults are applied by serve-options.ts (flags > environment > default), so none is given to commander here.
      ['--port <port>', 'port to listen on (env IVR_PORT; default 8080)'],
      ['--host <host>', 'address to listen on (env IVR_HOST; default 0.0.0.0)'],
      ['--public-url <url>', 'public base URL Plivo reaches this server at, for the answer XML (env IVR_PUBLIC_URL; default: the request Host header)'],
      ['--content-type <type>', 'codec the answer XML asks for: audio/x-mulaw;rate=8000, audio/x-l16;rate=8000 or audio/x-l16;rate=16000 (default audio/x-mulaw;rate=8000)'],
      ['--default-flow <id>', 'flow for /stream and /answer without a flow (default main)'],
      ['--recordings <dir>', 'folder for recordings (env IVR_RECORDINGS; default ./recordings)'],
      ['--allow-env <prefixes...>', 'environment variables starting with these prefixes are visible to flows as env.NAME (repeatable; default none)'],
      ['--start-timeout <duration>', 'close (1008) a stream that sends no start frame within this (default 10s)'],
      ['--max-payload <bytes>', 'largest WebSocket message, k/m suffixes allowed; larger closes the stream with 1009 (default 64k)'],
      ['--playback-grace <duration>', 'a prompt not acknowledged within its duration plus this counts as played (default 2s)'],
      ['--log-level <level>', 'trace, debug, info, warn, error or silent (env IVR_LOG_LEVEL; default info)'],
      ['--records <file>', 'append one JSON line per finished call to this file (env IVR_RECORDS; default ./calls.jsonl)'],
      ['--drain-timeout <duration>', 'on SIGTERM/SIGINT, calls in progress may run this long, then end with reason shutdown (default 30s)'],
      ['--no-reload', 'do not watch the flows folder (hot reload is on by default)'],
      ['--workers <n>', 'fork n worker processes sharing the port, one per core (env IVR_WORKERS; default 0: serve in this process)'],
      ['--max-calls <n>', 'streams open at once; more upgrades are refused with 503 (default 1000; 0: no limit)'],
      ['--max-frame-rate <n>', 'frames per second a stream may send sustained; above it (and the burst) it is closed with 1008 frame flood (default 200; 0: off)'],
      ['--frame-burst <n>', 'frames a stream may send at once above --max-frame-rate (default 1000)'],
      ['--max-buffered <bytes>', 'output queued for a stream that stops reading before it is cut, k/m suffixes allowed (default 1m)'],
    ],
    load: () => import(modulePath('serve')) as Promise<{ run: Run }>,
  },
  {
    name: 'test',
    args: '[paths...]',
    summary: 'run flow tests (*.test.yaml) with simulated time',
    options: [
      ['--coverage', 'report nodes, options and handlers no case reached'],
      ['--min-coverage <percent>', 'fail below this coverage'],
      ['--format <format>', 'output: text or json', 'text'],
      ['--generate [flow]', 'write a starter <flow>.test.yaml beside a flow'],
      ['--force', 'with --generate: overwrite an existing test file'],
    ],
    load: () => import(modulePath('test')) as Promise<{ run: Run }>,
  },
  {
    name: 'call',
    args: '[flow]',
    summary: 'try a flow from the terminal: prompts shown as they play, keys from the keyboard (q hangs up)',
    options: [
      ['--flow <id>', 'the flow to call when the path is a folder (default: its main flow, else the only one)'],
      ['--fast', 'prompts count as played as soon as they are sent; timeouts still run in real time, so there is time to type', false],
      ['--url <url>', 'call a running server instead (ws://host:port/stream/<flow>), behaving as Plivo does'],
      ['--flows <dir>', 'with --url: name prompts by matching their audio against these flows'],
    ],
    load: () => import(modulePath('call')) as Promise<{ run: Run }>,
  },
  {
    name: 'graph',
    args: '<paths...>',
    summary: 'draw flows as Mermaid or DOT graphs; --coverage marks what the flow tests never reach',
    options: [
      ['--format <format>', 'mermaid or dot', 'mermaid'],
      ['--coverage [tests...]', 'run these flow tests (default: the flows\' folders) and draw what they never reach dashed red'],
    ],
    load: () => import(modulePath('graph')) as Promise<{ run: Run }>,
  },
  {
    name: 'replay',
    args: '<records>',
    summary: 'replay recorded calls (--records of ivr serve) against the current flows; exit 1 if any behaves differently',
    options: [
      ['--call <ids...>', 'only these calls'],
      ['--flow <path>', 'the flow file or folder to replay against (default flows/)'],
      ['--format <format>', 'output: text or json', 'text'],
    ],
    load: () => import(modulePath('replay')) as Promise<{ run: Run }>,
  },
];

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code:
 * 0 ok, 1 problems found, 2 usage error. Never calls process.exit.
 *
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('ivr')
    .description('IVR engine: DTMF call menus written as YAML, tested in CI, served over Plivo Audio Streaming')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run ivr --help for usage)');
  let exitCode: number = EXIT.ok;
  for (const entry of COMMANDS) {
    const command = program.command(entry.name).description(entry.summary).arguments(entry.args);
    for (const [flags, description, defaultValue] of entry.options) command.option(flags, description, defaultValue);
    command.action(async (...params: unknown[]) => {
      const options = params.at(-2) as Record<string, unknown>;
      const args = params.slice(0, -2).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a.map(String) : [String(a)]));
      exitCode = await (await entry.load()).run(args, options);
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with exit code 0; every other commander error is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`ivr: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`ivr: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.problems;
  }
}

/**
 * `./<name>.js`, built at run time: those command modules belong to other parts of the CLI and
 * may not exist in every build; a missing one fails when that command runs, not at start-up.
 */
function modulePath(name: string): string {
  return `./${name}.js`;
}

function packageVersion(): string {
  for (const relative of ['../../../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
    } catch {
      // try the next layout
    }
  }
  return '0.0.0';
}
