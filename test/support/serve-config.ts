/**
 * `ivr serve`'s configuration from flags and an environment, composed as the CLI composes it: the
 * command table's `readOptions` (src/options/option-schema.ts), then serve's `serveConfig`. Pure
 * (the environment is passed in), so tests can check precedence and usage errors as data.
 */
import { readOptions } from '../../src/options/option-schema.js';
import { SERVE_OPTIONS } from '../../src/options/serve-options.js';
import { serveConfig, type ServeConfig } from '../../src/cli/serve-options.js';

export function resolveServeConfig(
  args: readonly string[],
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; config: ServeConfig } | { ok: false; message: string } {
  const read = readOptions(SERVE_OPTIONS, flags, env);
  if (!read.ok) return { ok: false, message: read.problems.join('\n') };
  return { ok: true, config: serveConfig(args, read.values) };
}
