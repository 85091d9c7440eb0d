/** Helpers for driving `ivr call` as a child process: output collected, waited on by content. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

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
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    for (const w of waiters) w();
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    output: () => out,
    exited,
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
