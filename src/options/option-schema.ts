/**
 * Command-line options as data: one entry per option (flag, env var, default, bounds, unit, doc)
 * from which the commander option, its `--help` line, the check of a value and the README table
 * row are all made. Reading a value returns a problem as data; nothing here prints or exits.
 * The schemas: serve-options.ts (`ivr serve`, also `createServer`'s checks) and
 * command-options.ts (every other command); src/cli/main.ts reads them for each command.
 *
 *   const spec = { key: 'maxCalls', flag: '--max-calls <n>', kind: 'int', min: 0, max: 1_000_000, default: 1000, doc: '...' };
 *   readOption(spec, '5000') // { value: 5000 }
 *   readOption(spec, '-1')   // { problem: '--max-calls must be a whole number from 0 to 1000000, got "-1"' }
 */
import { parseDuration } from '../flow/duration.js';
import { FLOW_ID } from '../flow/flow-id.js';
import { readInstant } from '../flow/instant.js';
import { SECRET_ENV } from '../flow/secret-env.js';

interface BaseSpec<V> {
  /** Name of the resolved value (the config field, and the `createServer` option when `server`). */
  key: string;
  /** Commander flag syntax: `--port <port>`, `--allow-env <prefixes...>`, `--no-reload`. */
  flag: string;
  /** Environment variable read when the flag is absent (flags win). */
  env?: string;
  /** The value when neither flag nor environment gives one; absent: the option is optional. */
  default?: V;
  /** How the default reads in `--help` and README when the value itself does not say it well. */
  defaultText?: string;
  /** One line, in the user's words: `--help` and the README table both show it. */
  doc: string;
  /** Also a `createServer` option (src/plivo/server-options.ts checks code callers with the same bounds). */
  server?: true;
}

/** A whole number in [min, max]. */
export interface IntSpec extends BaseSpec<number> {
  kind: 'int';
  min: number;
  max: number;
}
/** Bytes, written `65536`, `64k` or `1m` (KiB/MiB); bounds in bytes. */
export interface SizeSpec extends BaseSpec<number> {
  kind: 'size';
  min: number;
  max: number;
}
/** Milliseconds, written as in flows: `500ms`, `10s`, `2m`, `1h` (or a number of ms); bounds in ms. */
export interface DurationSpec extends BaseSpec<number> {
  kind: 'duration';
  min: number;
  max: number;
}
export interface ChoiceSpec<C extends string = string> extends BaseSpec<C> {
  kind: 'choice';
  choices: readonly C[];
}
/** Free text; `check` returns what is wrong with it (undefined: fine). */
export interface TextSpec extends BaseSpec<string> {
  kind: 'text';
  check?: (text: string) => string | undefined;
}
/** `--no-x`: true unless the flag is given. */
export interface SwitchSpec extends BaseSpec<boolean> {
  kind: 'switch';
}
/** `--x`: true when the flag is given, absent otherwise. */
export interface FlagSpec extends BaseSpec<boolean> {
  kind: 'flag';
}
/** A number (decimals allowed) in [min, max], in `unit` (`%`). */
export interface NumberSpec extends BaseSpec<number> {
  kind: 'number';
  min: number;
  max: number;
  unit?: string;
}
/** A point in time, written as a date (`2026-12-01`, midnight UTC) or an ISO 8601 time with its offset (src/flow/instant.ts); epoch ms. */
export interface TimeSpec extends BaseSpec<number> {
  kind: 'time';
}
/**
 * Repeatable text (`--call <ids...>`), or a flag whose values are optional (`--coverage [tests...]`,
 * `--generate [flow]`): given without one it is the empty list. `check` is applied to each value.
 */
export interface ListSpec extends BaseSpec<string[]> {
  kind: 'list';
  check?: (text: string) => string | undefined;
}
/** Repeatable prefixes selecting environment variables: the value is those variables. */
export interface EnvPrefixesSpec extends BaseSpec<Record<string, string>> {
  kind: 'env-prefixes';
}

/**
 * Repeatable `flow.name=value`: values for flows' declared variables, kept as text by flow id;
 * the flows' declarations type them once the flows are loaded (src/ops/deployment-vars.ts).
 */
export interface FlowVarsSpec extends BaseSpec<Record<string, Record<string, string>>> {
  kind: 'flow-vars';
}

export type OptionSpec = IntSpec | SizeSpec | DurationSpec | NumberSpec | TimeSpec | ChoiceSpec | TextSpec | SwitchSpec | FlagSpec | ListSpec | EnvPrefixesSpec | FlowVarsSpec;

/** The value type an option resolves to. */
export type OptionValue<S> = S extends { kind: 'int' | 'size' | 'duration' | 'number' | 'time' }
  ? number
  : S extends ChoiceSpec<infer C>
    ? C
    : S extends { kind: 'switch' | 'flag' }
      ? boolean
      : S extends { kind: 'list' }
        ? string[]
        : S extends { kind: 'env-prefixes' }
          ? Record<string, string>
          : S extends { kind: 'flow-vars' }
            ? Record<string, Record<string, string>>
            : string;

/** The resolved values of a schema: options with a default are always present. */
export type OptionValues<T extends readonly OptionSpec[]> = {
  [S in T[number] as S extends { default: unknown } ? S['key'] : never]: OptionValue<S>;
} & {
  [S in T[number] as S extends { default: unknown } ? never : S['key']]?: OptionValue<S>;
};

/** What commander hands over for a flag (`--max-calls` → `maxCalls`, `--no-reload` → `reload`). */
export function attributeOf(spec: OptionSpec): string {
  const name = /^--(?:no-)?([a-z0-9-]+)/.exec(spec.flag)?.[1] ?? spec.key;
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The flag without its argument: `--max-calls`. */
export function flagName(spec: OptionSpec): string {
  return spec.flag.split(' ')[0]!;
}

export type ReadResult<V> = { value: V } | { problem: string };

/**
 * Reads one option from what the user wrote (`raw`: the flag's value, else the environment's).
 * `env` is the whole environment, for `env-prefixes` (never its SECRET_ENV names).
 */
export function readOption<S extends OptionSpec>(spec: S, raw: unknown, env: Readonly<Record<string, string | undefined>> = {}): ReadResult<OptionValue<S>> {
  return read(spec, raw, env) as ReadResult<OptionValue<S>>;
}

function read(spec: OptionSpec, raw: unknown, env: Readonly<Record<string, string | undefined>>): ReadResult<unknown> {
  const flag = flagName(spec);
  const got = (text: unknown): string => `got ${JSON.stringify(text)}`;
  switch (spec.kind) {
    case 'switch':
      return { value: raw !== false };
    case 'flag':
      return { value: raw === true };
    case 'list': {
      const values = raw === true ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
      for (const text of values) {
        const problem = spec.check?.(text);
        if (problem !== undefined) return { problem: `${flag} ${problem}, ${got(text)}` };
      }
      return { value: values };
    }
    case 'time': {
      const read = readInstant(String(raw).trim(), { dates: true });
      if ('ms' in read) return { value: read.ms };
      const wrong = 'wrong' in read ? ` (${read.wrong})` : '';
      return { problem: `${flag} must be a date (2026-12-01, UTC) or an ISO 8601 time with its offset (2026-12-01T09:00:00Z)${wrong}, ${got(raw)}` };
    }
    case 'number': {
      const text = String(raw).trim();
      const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
      return Number.isFinite(n) && n >= spec.min && n <= spec.max
        ? { value: n }
        : { problem: `${flag} must be a number from ${spec.min} to ${spec.max}${spec.unit ?? ''}, ${got(raw)}` };
    }
    case 'env-prefixes': {
      const prefixes = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
      if (prefixes.includes('')) return { problem: `${flag} needs a non-empty prefix (an empty one would expose the whole environment)` };
      const value: Record<string, string> = {};
      for (const [name, v] of Object.entries(env)) {
        if (v !== undefined && !SECRET_ENV.has(name) && prefixes.some((p) => name.startsWith(p))) value[name] = v;
      }
      return { value };
    }
    case 'flow-vars': {
      const value: Record<string, Record<string, string>> = {};
      for (const text of Array.isArray(raw) ? raw.map(String) : [String(raw)]) {
        const m = /^([^=]+)\.([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(text);
        // The value may be a secret (var-from-text.ts): only what stands before `=` is shown.
        if (!m || !FLOW_ID.test(m[1]!)) return { problem: `${flag} must be <flow id>.<variable>=<value>, ${got(text.includes('=') ? `${text.slice(0, text.indexOf('='))}=…` : text)}` };
        (value[m[1]!] ??= {})[m[2]!] = m[3]!;
      }
      return { value };
    }
    case 'choice':
      return spec.choices.includes(String(raw)) ? { value: String(raw) } : { problem: `${flag} must be ${orList(spec.choices)}, ${got(raw)}` };
    case 'text': {
      const problem = spec.check?.(String(raw));
      return problem === undefined ? { value: String(raw) } : { problem: `${flag} ${problem}, ${got(raw)}` };
    }
    case 'int': {
      const text = String(raw).trim();
      const n = /^\d+$/.test(text) ? Number(text) : NaN;
      return inBounds(spec, n, raw, `a whole number from ${spec.min} to ${spec.max}`);
    }
    case 'size':
      return inBounds(spec, parseSize(String(raw)), raw, `a size from ${formatSize(spec.min)} to ${formatSize(spec.max)} (bytes, or with k/m)`);
    case 'duration':
      return inBounds(spec, parseDurationText(String(raw)), raw, `a duration from ${formatDuration(spec.min)} to ${formatDuration(spec.max)} (like 500ms, 10s, 2m)`);
  }
}

/** `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`;
}

function inBounds(spec: IntSpec | SizeSpec | DurationSpec, n: number | undefined, raw: unknown, what: string): ReadResult<number> {
  if (n === undefined || !Number.isSafeInteger(n) || n < spec.min || n > spec.max) return { problem: `${flagName(spec)} must be ${what}, got ${JSON.stringify(raw)}` };
  return { value: n };
}

/**
 * What is wrong with a value given in code (`createServer({ maxPayload })`), in the option's own
 * bounds; undefined when it is fine. Names the option by its key, as the code caller wrote it.
 */
export function checkValue(spec: OptionSpec, value: unknown): string | undefined {
  switch (spec.kind) {
    case 'int':
    case 'size':
    case 'duration':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max
        ? undefined
        : `${spec.key} must be an integer from ${spec.min} to ${spec.max}, got ${String(value)}`;
    case 'number':
      return typeof value === 'number' && value >= spec.min && value <= spec.max ? undefined : `${spec.key} must be a number from ${spec.min} to ${spec.max}, got ${String(value)}`;
    case 'choice':
      return spec.choices.includes(value as string) ? undefined : `${spec.key} must be one of ${spec.choices.join(', ')}, got ${JSON.stringify(value)}`;
    case 'text': {
      const problem = typeof value === 'string' ? spec.check?.(value) : 'must be a string';
      return problem === undefined ? undefined : `${spec.key} ${problem}, got ${JSON.stringify(value)}`;
    }
    default:
      return undefined;
  }
}

/**
 * Every option of a schema from flags (commander's attributes), then the environment, then the
 * default; all problems, one line each.
 */
export function readOptions<T extends readonly OptionSpec[]>(
  schema: T,
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; values: OptionValues<T> } | { ok: false; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const spec of schema) {
    const raw = flags[attributeOf(spec)] ?? (spec.env !== undefined ? env[spec.env] : undefined);
    if (raw === undefined && spec.kind !== 'switch' && spec.kind !== 'env-prefixes') {
      if (spec.default !== undefined) values[spec.key] = spec.default;
      continue;
    }
    const result = read(spec, raw, env);
    if ('problem' in result) problems.push(result.problem);
    else values[spec.key] = result.value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values: values as OptionValues<T> };
}

/** The defaults of a schema, by key. */
export function defaultsOf(schema: readonly OptionSpec[]): Record<string, unknown> {
  return Object.fromEntries(schema.filter((s) => s.default !== undefined).map((s) => [s.key, s.default]));
}

/**
 * The default of one option, typed: code that needs it outside the flags (a call built without
 * `ivr serve`, the reload budget) reads the schema's value instead of writing it again.
 *
 * @example defaultOf(SERVE_OPTIONS, 'playbackGraceMs') // 2000
 */
export function defaultOf<T extends readonly OptionSpec[], K extends T[number]['key']>(schema: T, key: K): OptionValue<Extract<T[number], { key: K }>> {
  const spec = schema.find((s) => s.key === key);
  if (spec?.default === undefined) throw new Error(`option ${key} has no default`);
  return spec.default as OptionValue<Extract<T[number], { key: K }>>;
}

/** How the default reads to a user: `64k`, `10s`, `none`. */
export function defaultText(spec: OptionSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined) return undefined;
  if (spec.kind === 'size') return formatSize(spec.default);
  if (spec.kind === 'duration') return formatDuration(spec.default);
  return String(spec.default);
}

/** The values an option accepts, as a user writes them: `0-65535`, `1k-64m`, `info, warn`. */
export function allowedText(spec: OptionSpec): string | undefined {
  if (spec.kind === 'int') return `${spec.min}-${spec.max}`;
  if (spec.kind === 'number') return `${spec.min}-${spec.max}${spec.unit ?? ''}`;
  if (spec.kind === 'size') return `${formatSize(spec.min)}-${formatSize(spec.max)}`;
  if (spec.kind === 'duration') return `${formatDuration(spec.min)}-${formatDuration(spec.max)}`;
  if (spec.kind === 'choice') return spec.choices.join(', ');
  return undefined;
}

/** The `--help` description: the doc, then where else the value comes from, its default and bounds. */
export function helpLine(spec: OptionSpec): string {
  const shown = defaultText(spec);
  const allowed = allowedText(spec);
  const notes = [
    spec.env !== undefined ? `env ${spec.env}` : undefined,
    shown !== undefined ? `default ${shown}` : undefined,
    allowed !== undefined ? (spec.kind === 'choice' ? `one of ${allowed}` : allowed) : undefined,
  ].filter((n) => n !== undefined);
  return notes.length > 0 ? `${spec.doc} (${notes.join('; ')})` : spec.doc;
}

/** A markdown table of a schema, as README.md shows it (a test checks that it does). */
export function markdownTable(schema: readonly OptionSpec[], firstRows: readonly string[] = []): string {
  const code = (text: string | undefined): string => (text === undefined ? '' : `\`${text}\``);
  const rows = schema.map((s) => {
    const allowed = s.kind === 'choice' ? s.choices.map(code).join(', ') : code(allowedText(s));
    return `| ${[code(s.flag), code(s.env), code(defaultText(s)), allowed, s.doc].join(' | ')} |`.replace(/\| {2}\|/g, '| |');
  });
  return ['| option | env | default | allowed | meaning |', '|---|---|---|---|---|', ...firstRows, ...rows].join('\n');
}

/** Bytes from `65536`, `64k`, `64KiB`, `1m`; undefined when malformed. The one size parser. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)\s*([km]?)i?b?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2]?.toLowerCase();
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}m`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024}k`;
  return String(bytes);
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function parseDurationText(text: string): number | undefined {
  const trimmed = text.trim();
  return parseDuration(/^\d+$/.test(trimmed) ? Number(trimmed) : trimmed);
}
