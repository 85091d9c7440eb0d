/** Helpers for driving `ivr call` (a child process, or in this process): output collected, waited on by content. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { runCli } from '../support/run-cli.js';

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves when the output matches `pattern`; rejects with the output so far after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

/** Runs the built CLI (`bin/ivr.js`) with stdin a pipe: keys are typed text (line mode). */
export function runIvr(args: string[]): Child {
  const proc = spawn(process.execPath, ['bin/ivr.js', ...args], { stdio: 'pipe' });
  const watch = watchOutput();
  proc.stdout.on('data', (chunk: Buffer) => watch.append(chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => watch.append(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: watch.output, exited, waitFor: watch.waitFor };
}

/**
 * `ivr call` through the command table in this process, keys written to `proc.stdin` as to the
 * child's pipe. For what needs a real process (signals), `runIvr`.
 */
export function callIvr(args: string[]): Omit<Child, 'proc'> & { proc: { stdin: PassThrough } } {
  const stdin = new PassThrough();
  const watch = watchOutput();
  const exited = runCli(args, { stdin, out: watch.append }).then((run) => run.status);
  return { proc: { stdin }, output: watch.output, exited, waitFor: watch.waitFor };
}

/** Output collected as it comes, and waited on by content. */
function watchOutput(): { append(text: string): void; output(): string; waitFor: Child['waitFor'] } {
  let out = '';
  const waiters = new Set<() => void>();
  return {
    append: (text) => {
      out += text;
      for (const w of waiters) w();
    },
    output: () => out,
    waitFor: (pattern, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(out)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} in ivr's output within ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Polls `read` until its text matches `pattern` (the screen of a tmux pane). */
export async function waitForText(read: () => string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = read();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`no ${pattern} on screen within ${timeoutMs} ms:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
