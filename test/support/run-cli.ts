/**
 * `ivr ...` run in this process, as the launcher would run it: the same command table, the same
 * exit code and text, without a child process (bin/ivr.js is kept for a few end-to-end tests).
 */
import { main } from '../../src/cli/main.js';

export interface CliRun {
  /** The exit code bin/ivr.js would exit with. */
  status: number;
  stdout: string;
  stderr: string;
}

/** @example const { status, stdout } = await runCli(['validate', 'flows/']); */
export async function runCli(args: readonly string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await main([...args], {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
  });
  return { status, stdout, stderr };
}
