/**
 * `ivr ...` run in this process, as the launcher would run it: the same command table, the same
 * exit code and text, without a child process (bin/ivr.js is kept for a few end-to-end tests).
 */
import type { KeyInput } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  /** The exit code bin/ivr.js would exit with. */
  status: number;
  stdout: string;
  stderr: string;
}

/** @example const { status, stdout } = await runCli(['validate', 'flows/']); */
export async function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; stdin?: KeyInput; out?: (text: string) => void } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await main([...args], {
    out: (text) => {
      stdout += text;
      options.out?.(text);
    },
    err: (text) => {
      stderr += text;
      options.out?.(text);
    },
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });
  return { status, stdout, stderr };
}
