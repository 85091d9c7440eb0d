/**
 * `ivr serve` options read from flags, then environment variables, then defaults, as
 * src/options/serve-options.ts declares them (the command table reads them the same way before
 * serve.ts loads). Pure (the environment is passed in), so the precedence is testable; usage
 * errors are returned as data, one line per option.
 */
import { readOptions, type OptionValues } from '../options/option-schema.js';
import { SERVE_OPTIONS } from '../options/serve-options.js';

/** What commander hands over (camelCased flags); everything optional. */
export type ServeFlags = Readonly<Record<string, unknown>>;

export type ServeOptions = OptionValues<typeof SERVE_OPTIONS>;

export type ServeConfig = ServeOptions & {
  /** The flow files and folders; default `flows/`. */
  paths: string[];
};

/** The config from the arguments and the options' values. */
export function serveConfig(args: readonly string[], options: ServeOptions): ServeConfig {
  return { paths: args.length > 0 ? [...args] : ['flows/'], ...options };
}

export function resolveServeConfig(
  args: readonly string[],
  flags: ServeFlags,
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; config: ServeConfig } | { ok: false; message: string } {
  const read = readOptions(SERVE_OPTIONS, flags, env);
  if (!read.ok) return { ok: false, message: read.problems.join('\n') };
  return { ok: true, config: serveConfig(args, read.values) };
}
