/**
 * `ivr serve`'s configuration: the options as the command table read them (flags, then
 * environment variables, then defaults: src/options/serve-options.ts, option-schema.ts
 * `readOptions`) and the flow paths.
 */
import type { OptionValues } from '../options/option-schema.js';
import type { SERVE_OPTIONS } from '../options/serve-options.js';

export type ServeOptions = OptionValues<typeof SERVE_OPTIONS>;

export type ServeConfig = ServeOptions & {
  /** The flow files and folders; default `flows/`. */
  paths: string[];
};

/** The config from the arguments and the options' values. */
export function serveConfig(args: readonly string[], options: ServeOptions): ServeConfig {
  return { paths: args.length > 0 ? [...args] : ['flows/'], ...options };
}
