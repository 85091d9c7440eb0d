/**
 * cli/: the command table (this file) and one file per command. A row names the command, its
 * arguments, its option schema (src/options/) and a lazy import of its module; main() makes the
 * commander options and `--help` from the schema, reads every option value before the module is
 * loaded (a bad one is exit 2 here), runs the command, prints what it returns and decides the
 * exit code: 0 ok, 1 problems found, 2 usage. Commands print nothing themselves (bar the
 * long-running `serve` and `call`, through the io they are given) and tests call main() in-process
 * (test/support/run-cli.ts).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CALL_OPTIONS, COMPILE_OPTIONS, GRAPH_OPTIONS, REPLAY_OPTIONS, REPORT_OPTIONS, TEST_OPTIONS, VALIDATE_OPTIONS } from '../options/command-options.js';
import { helpLine, readOptions, type OptionSpec, type OptionValues } from '../options/option-schema.js';
import { SERVE_OPTIONS } from '../options/serve-options.js';
import { TEST_HELP } from './test-help.js';
import { processIo, type CliIo, type CommandResult, type Run } from './command.js';
import { UsageError } from './usage-error.js';

/** Exit codes (STYLE.md, "The CLI is a table of commands"). */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;


/** One row of the table, as written: `load` must give a `run` that takes what `options` reads (tsc checks it). */
interface CommandSpec<Schema extends readonly OptionSpec[]> {
  name: string;
  /** Commander argument syntax: `<paths...>`, `[paths...]`, `<flow>`. */
  args: string;
  summary: string;
  /** Its options (src/options/): the flags, `--help`, and the check of every value before the command loads. */
  options: Schema;
  /** Printed after the options by `ivr <command> --help`. */
  help?: string;
  /** Lazily imported, so `ivr validate` never loads the server and `--help` loads nothing. */
  load: () => Promise<{ run: Run<OptionValues<Schema>> }>;
}

/** A row once its options are bound: the table holds rows of different option types side by side. */
interface CommandEntry {
  name: string;
  args: string;
  summary: string;
  options: readonly OptionSpec[];
  help?: string;
  /** Reads `flags` (commander's) and the environment with the schema, then runs the command; a bad value throws OptionError. */
  start: (args: string[], flags: Readonly<Record<string, unknown>>, io: CliIo) => Promise<CommandResult>;
}

function command<const Schema extends readonly OptionSpec[]>(spec: CommandSpec<Schema>): CommandEntry {
  return {
    name: spec.name,
    args: spec.args,
    summary: spec.summary,
    options: spec.options,
    ...(spec.help !== undefined ? { help: spec.help } : {}),
    start: async (args, flags, io) => {
      const read = readOptions(spec.options, flags, io.env);
      if (!read.ok) throw new OptionError(spec.name, read.problems);
      return (await spec.load()).run(args, read.values, io);
    },
  };
}

/** Option values the schema refuses: one line each, `ivr <command>: <problem>`, exit 2. */
class OptionError extends Error {
  constructor(readonly command: string, readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * The command table. Each command lives in its own file (src/cli/<name>.ts) exporting
 * `run(args, options, io): Promise<CommandResult>` (command.ts): it returns its exit code and
 * text, and main() prints them; keep each entry a few lines.
 */
const COMMANDS: CommandEntry[] = [
  command({
    name: 'validate',
    args: '<paths...>',
    summary: 'check flow files and folders: YAML, schema, targets, prompts, expressions',
    options: VALIDATE_OPTIONS,
    load: () => import('./validate.js'),
  }),
  command({
    name: 'compile',
    args: '<paths...>',
    summary: 'compile flows to their state machines and print them',
    options: COMPILE_OPTIONS,
    load: () => import('./compile.js'),
  }),
  command({
    name: 'serve',
    args: '[paths...]',
    summary: 'serve live calls over Plivo Audio Streaming (WebSocket)',
    // Flags, then the environment, then the default (src/options/serve-options.ts).
    options: SERVE_OPTIONS,
    load: () => import('./serve.js'),
  }),
  command({
    name: 'test',
    args: '[paths...]',
    summary: 'run flow tests (*.test.yaml) with simulated time',
    options: TEST_OPTIONS,
    help: TEST_HELP,
    load: () => import('./test.js'),
  }),
  command({
    name: 'call',
    args: '[flow]',
    summary: 'try a flow from the terminal: prompts shown as they play, keys from the keyboard (q hangs up)',
    options: CALL_OPTIONS,
    load: () => import('./call.js'),
  }),
  command({
    name: 'graph',
    args: '<paths...>',
    summary: 'draw flows as Mermaid or DOT graphs; --coverage marks what the flow tests never reach',
    options: GRAPH_OPTIONS,
    load: () => import('./graph.js'),
  }),
  command({
    name: 'replay',
    args: '<records>',
    summary: 'replay recorded calls (--records of ivr serve) against the current flows; exit 1 if any behaves differently',
    options: REPLAY_OPTIONS,
    load: () => import('./replay.js'),
  }),
  command({
    name: 'report',
    args: '<records...>',
    summary: 'figures of call records (--records of ivr serve): outcomes, containment, drop-off per node, menu failures, fetch times',
    options: REPORT_OPTIONS,
    load: () => import('./report.js'),
  }),
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
    // Defaults are applied when the values are read (flags > environment > default), so none is given to commander.
    for (const spec of entry.options) command.option(spec.flag, helpLine(spec));
    if (entry.help) command.addHelpText('after', entry.help);
    command.action(async (...params: unknown[]) => {
      const flags = params.at(-2) as Record<string, unknown>;
      const args = params.slice(0, -2).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a.map(String) : [String(a)]));
      const result = await entry.start(args, flags, io);
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
    if (err instanceof OptionError) {
      for (const problem of err.problems) io.err(`ivr ${err.command}: ${problem}\n`);
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.err(`ivr: ${err.message}\n`);
      return EXIT.usage;
    }
    io.err(`ivr: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.problems;
  }
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
