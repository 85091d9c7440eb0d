import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { helpLine } from '../options/option-schema.js';
import { SERVE_OPTIONS } from '../options/serve-options.js';
import { DEFAULT_START_TEXT } from '../testing/start-time.js';
import { processIo, type CliIo, type Run } from './command.js';
import { UsageError } from './usage-error.js';

/** Exit codes (STYLE.md, "The CLI is a table of commands"). */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;


interface CommandEntry {
  name: string;
  /** Commander argument syntax: `<paths...>`, `[paths...]`, `<flow>`. */
  args: string;
  summary: string;
  /** [flags, description, default] as commander takes them. */
  options: [string, string, (string | boolean | string[])?][];
  /** Printed after the options by `ivr <command> --help`. */
  help?: string;
  /** Lazily imported, so `ivr validate` never loads the server and `--help` loads nothing. */
  load: () => Promise<{ run: Run }>;
}

/**
 * The command table. Each command lives in its own file (src/cli/<name>.ts) exporting
 * `run(args, options, io): Promise<CommandResult>` (command.ts): it returns its exit code and
 * text, and main() prints them; keep each entry a few lines.
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
      // From the option schema; defaults are applied when the flags are read (flags > environment > default), so none is given to commander.
      ...SERVE_OPTIONS.map((spec): [string, string] => [spec.flag, helpLine(spec)]),
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
      ['--format <format>', 'output: text, json or github (failures as workflow annotations)', 'text'],
      ['--generate [flow]', 'write a starter <flow>.test.yaml beside a flow'],
      ['--force', 'with --generate: overwrite an existing test file'],
    ],
    help: `\nEvery case's call starts at ${DEFAULT_START_TEXT} on the simulated clock (03:00 in Chicago, before US\nbusiness hours) unless its start.at (or the file's defaults.start.at) says otherwise.`,
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
      ['--call-id <id>', "the call's id (default: generated); a split node routes by it, so the same id takes the same branch"],
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
      ['--heat <records>', 'call records (file or glob, as ivr report reads them): traffic on every edge, drop-off on every node'],
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
  {
    name: 'report',
    args: '<records...>',
    summary: 'figures of call records (--records of ivr serve): outcomes, containment, drop-off per node, menu failures, fetch times',
    options: [
      ['--flow <id>', 'only this flow'],
      ['--since <time>', 'only calls that started at or after this date (2026-12-01, UTC) or ISO 8601 time'],
      ['--until <time>', 'only calls that started before this date or time'],
      ['--by <group>', 'version or day: one set of figures per flow and version (or UTC day), side by side'],
      ['--format <format>', 'output: text, json or html (one self-contained page)', 'text'],
    ],
    load: () => import(modulePath('report')) as Promise<{ run: Run }>,
  },
];

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code:
 * 0 ok, 1 problems found, 2 usage error. Never calls process.exit. Everything printed goes
 * through `io` (tests pass one that collects it).
 *
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = new Command('ivr')
    .description('IVR engine: DTMF call menus written as YAML, tested in CI, served over Plivo Audio Streaming')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .showHelpAfterError('(run ivr --help for usage)');
  let exitCode: number = EXIT.ok;
  for (const entry of COMMANDS) {
    const command = program.command(entry.name).description(entry.summary).arguments(entry.args);
    for (const [flags, description, defaultValue] of entry.options) command.option(flags, description, defaultValue);
    if (entry.help) command.addHelpText('after', entry.help);
    command.action(async (...params: unknown[]) => {
      const options = params.at(-2) as Record<string, unknown>;
      const args = params.slice(0, -2).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a.map(String) : [String(a)]));
      const result = await (await entry.load()).run(args, options, io);
      // The one place a command's output is printed.
      if (result.stdout) io.out(result.stdout);
      if (result.stderr) io.err(result.stderr);
      exitCode = result.exitCode;
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
      io.err(`ivr: ${err.message}\n`);
      return EXIT.usage;
    }
    io.err(`ivr: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
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
