/**
 * The contract between the command table (main.ts) and each command: a command takes its
 * arguments, options and the io it may use, and returns its exit code and what to print. main()
 * prints it, once; a test calls main() in-process with an io that collects the text.
 *
 * Commands that run until stopped (`serve`, `call`) also write through `io` while they run.
 */

/** What a command gives back. */
export interface CommandResult {
  /** 0 ok, 1 problems found, 2 usage error (EXIT in main.ts). */
  exitCode: number;
  /** Text for standard output, printed after the command returns. */
  stdout?: string;
  /** Text for standard error (diagnostics that stop the command, notes). */
  stderr?: string;
}

/** The process around a command: where text goes, the environment, the working folder, stop signals. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Paths in messages are shown relative to this. */
  cwd: string;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); only long-running commands ask. */
  stopSignal?: () => Promise<string>;
  /** Where `ivr call` reads keys; default the process's stdin. */
  stdin?: KeyInput;
}

/** What keys are read from: a terminal (raw mode when it has one), a pipe, or a test's stream. */
export type KeyInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/**
 * A command: its arguments, its options as its schema reads them (OptionValues, typed and
 * checked before it runs), the io. The command table checks each module against this type.
 */
export type Run<Options> = (args: string[], options: Options, io: CliIo) => Promise<CommandResult>;

/** The real process: stdout, stderr, process.env, the current folder, SIGINT/SIGTERM. */
export function processIo(): CliIo {
  dropOutputToClosedReaders();
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    stopSignal: () =>
      new Promise((resolveSignal) => {
        process.once('SIGINT', () => resolveSignal('SIGINT'));
        process.once('SIGTERM', () => resolveSignal('SIGTERM'));
      }),
  };
}

/**
 * Output to a reader that went away (`ivr validate flows/ | head`, a log shipper that stopped) is
 * dropped: a write error on stdout or stderr (EPIPE) is an `error` event, and unhandled it ended
 * the process, under `ivr serve` with every call in it. The exit code stays the command's.
 */
function dropOutputToClosedReaders(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (!stream.listeners('error').includes(ignore)) stream.on('error', ignore);
  }
}

const ignore = (): void => undefined;
