import type { ErrorObject } from 'ajv';
import { closest } from '../diagnostics/did-you-mean.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FlowCode } from '../diagnostics/codes.js';
import { diagnosticAt } from '../parse/diagnostic-at.js';
import { sameCodeLimit } from '../parse/yaml-mistakes.js';
import type { Part } from '../parse/diagnostic-at.js';
import { NODE_KINDS } from '../flow/types.js';
import type { FlowSource } from '../parse/flow-source.js';
import { pointerOf, scalarSource } from '../parse/flow-source.js';
import { describePlace, quote } from './describe-place.js';
import { definitionOf, schemaErrors } from './flow-schema.js';

/**
 * Checks a parsed flow against schemas/flow.schema.json and says what is wrong in plain words,
 * at the YAML position of the offending key or value. ajv reports every branch of an
 * `anyOf`/`oneOf`; an author needs one message per mistake, so branch mismatches are dropped
 * and what is left is worded by the definition that failed (duration, DTMF keys, ...).
 */
export function checkSchema(source: FlowSource): Diagnostic[] {
  const errors = schemaErrors(source.data);
  if (errors.length === 0) return [];
  const out: Diagnostic[] = [];
  // At most MAX_SAME_MISTAKES messages of a code are placed; a message given twice (ajv's branches) once.
  const limit = sameCodeLimit(out);
  const said = new Set<string>();
  const add = (code: FlowCode, pointer: string, message: string, part: Part = 'value'): void => {
    const key = `${pointer}|${part}|${message}`;
    if (said.has(key)) return;
    said.add(key);
    limit(code, () => diagnosticAt(source, code, pointer, message, part));
  };
  // Where an anyOf failed (its type errors are branch noise): looked up per error, not searched.
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));

  const unknownKeysAt = new Set<string>();
  const unknownKeys = new Map<string, { pointer: string; key: string; candidates: Set<string> }>();
  for (const err of errors) {
    if (err.keyword !== 'additionalProperties') continue;
    const key = String((err.params as { additionalProperty: string }).additionalProperty);
    const pointer = pointerOf(...segments(err.instancePath), key);
    const entry = unknownKeys.get(pointer) ?? { pointer, key, candidates: new Set<string>() };
    for (const name of Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {})) entry.candidates.add(name);
    unknownKeys.set(pointer, entry);
    unknownKeysAt.add(err.instancePath);
  }
  for (const { pointer, key, candidates } of unknownKeys.values()) {
    const parent = pointer.slice(0, pointer.lastIndexOf('/'));
    const suggestion = closest(key, candidates);
    const hint = suggestion !== undefined ? ` — did you mean \`${suggestion}\`?` : ` (allowed: ${[...candidates].join(', ')})`;
    add('schema-unknown-key', pointer, `${describePlace(parent)}: unknown key \`${key}\`${hint}`, 'key');
  }

  // The places of the errors that get a message of their own, sorted: an anyOf asks whether one lies inside it.
  const keptPaths = errors.filter((e) => isKept(e, anyOfAt, unknownKeysAt)).map((e) => e.instancePath).sort();
  for (const err of errors) {
    const place = err.instancePath;
    // A branch that did not fit the value's type is noise: some other branch is the intended one.
    if (isBranchMismatch(err, anyOfAt)) continue;
    if (err.keyword === 'additionalProperties' || err.keyword === 'propertyNames') continue;
    if (isNodeKindError(err)) {
      if (err.keyword === 'oneOf') nodeKindError(source, place, unknownKeysAt.has(place), add);
      continue;
    }
    if (err.keyword === 'anyOf' || err.keyword === 'oneOf') {
      if (!hasPrefixed(keptPaths, place)) anyOfError(err, add);
      continue;
    }
    // A required key missing next to an unknown key is almost always that key misspelt.
    if (err.keyword === 'required' && unknownKeysAt.has(place)) continue;
    if (err.keyword === 'required' && /\/anyOf\/\d+\/required$/.test(err.schemaPath)) continue;
    plainError(err, add, source);
  }
  return out;
}

/** Whether a string of `sorted` starts with `prefix`: those sort together, from the first one not below it. */
function hasPrefixed(sorted: readonly string[], prefix: string): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < prefix) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length && sorted[low]!.startsWith(prefix);
}

type Add = (code: FlowCode, pointer: string, message: string, part?: Part) => void;

/**
 * Whether an error survives the filters above (used to decide if an anyOf still needs its own
 * message). `anyOfAt`, `unknownKeysAt`: the places of the anyOf and additionalProperties errors.
 */
function isKept(err: ErrorObject, anyOfAt: ReadonlySet<string>, unknownKeysAt: ReadonlySet<string>): boolean {
  if (isBranchMismatch(err, anyOfAt)) return false;
  if (err.keyword === 'anyOf' || err.keyword === 'oneOf' || err.keyword === 'propertyNames') return false;
  if (err.keyword === 'required' && /\/anyOf\/\d+\/required$/.test(err.schemaPath)) return !unknownKeysAt.has(err.instancePath);
  return !isNodeKindError(err);
}

/** A `type` error of one alternative of an anyOf at the same place: another alternative was meant. */
function isBranchMismatch(err: ErrorObject, anyOfAt: ReadonlySet<string>): boolean {
  return err.keyword === 'type' && anyOfAt.has(err.instancePath);
}

/** The node's "exactly one kind key" oneOf, or one of its `required` branches. */
function isNodeKindError(err: ErrorObject): boolean {
  return definitionOf(err.parentSchema) === 'node' && (err.keyword === 'oneOf' || /^#\/oneOf\/\d+\/required$/.test(err.schemaPath));
}

function nodeKindError(source: FlowSource, place: string, hasUnknownKey: boolean, add: Add): void {
  const value = dataAt(source.data, place);
  // A node that is not a map at all already has "must be a map" from its type error.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const node = value as Record<string, unknown>;
  const kinds = NODE_KINDS.filter((k) => k in node);
  const name = segments(place)[1] ?? '';
  if (kinds.length === 0) {
    // `plya: welcome` already got "unknown key, did you mean play?": that is the fix.
    if (hasUnknownKey) return;
    add('schema-node-kind', place, `node \`${name}\` needs exactly one of ${NODE_KINDS.join(', ')}`, 'key');
  } else {
    const second = kinds[1] ?? '';
    add(
      'schema-node-kind',
      pointerOf('nodes', name, second),
      `node \`${name}\` has ${kinds.map((k) => `\`${k}\``).join(' and ')}; a node has exactly one kind — split it into ${kinds.length} nodes`,
      'key',
    );
  }
}

function anyOfError(err: ErrorObject, add: Add): void {
  const place = describePlace(err.instancePath);
  const got = quote(err.data);
  switch (definitionOf(err.parentSchema)) {
    case 'duration':
    case 'callDuration':
      return add('invalid-duration', err.instancePath, `${place} must be a duration like 250ms, 5s, 2m, 1h or a number of milliseconds; got ${got}`);
    case 'promptItem':
    case 'promptSpec':
      return add('schema-invalid-value', err.instancePath, `${place} must be a prompt name, { digits: <expr> }, { number: <expr> }, { silence: <duration> } or a list of them; got ${got}`);
    case 'target':
      return add('schema-invalid-value', err.instancePath, `${place} must be a node name or { goto: <node>, set: {...} }; got ${got}`);
    default:
      return add('schema-invalid-value', err.instancePath, `${place} has an invalid value ${got}`);
  }
}

function plainError(err: ErrorObject, add: Add, source: FlowSource): void {
  const params = err.params as Record<string, unknown>;
  const propertyName = (err as { propertyName?: string }).propertyName;
  // propertyNames failures are about a key: point at the key itself.
  const pointer = propertyName === undefined ? err.instancePath : pointerOf(...segments(err.instancePath), propertyName);
  const part: Part = propertyName === undefined ? 'value' : 'key';
  const place = describePlace(err.instancePath);
  const value = propertyName ?? err.data;
  const got = quote(value);
  const definition = definitionOf(err.parentSchema);

  if (err.keyword === 'maxDurationMs') {
    const max = Number((err.params as { max?: number }).max);
    const what = max >= 86_400_000 ? `${max / 3_600_000}h, the longest a call may last` : `${max / 3_600_000}h, the longest any timeout or pause may be`;
    const shown = value === Number.POSITIVE_INFINITY ? '`.inf`' : got;
    return add('duration-too-long', pointer, `${place} is ${shown}, longer than ${what}`, part);
  }
  if (definition === 'duration' || definition === 'callDuration') {
    return add('invalid-duration', pointer, `${place} must be a duration like 250ms, 5s, 2m, 1h or a number of milliseconds; got ${got}`, part);
  }
  if (definition === 'dtmfKeys') return add('invalid-dtmf', pointer, `${place}: ${part === 'key' ? 'key ' : ''}${got} is not a DTMF key sequence (keys are 0-9, *, #, A-D)`, part);
  if (definition === 'terminator') return add('invalid-dtmf', pointer, `${place} must be one DTMF key (0-9, *, #, A-D) or "" for none; got ${got}`, part);
  if (definition === 'varName' && (err.keyword === 'pattern' || err.keyword === 'not')) {
    const why = err.keyword === 'not' ? 'is a reserved name' : 'is not a variable name (letters, digits and _, not starting with a digit)';
    return add('invalid-variable-name', pointer, `${place}: ${part === 'key' ? 'key ' : ''}${got} ${why}`, part);
  }
  if (definition === 'promptName' && err.keyword === 'pattern') {
    return add('schema-invalid-value', pointer, `${place}: ${got} is not a prompt name (letters, digits, _, . and -)`, part);
  }
  if (definition === 'flowId' && err.keyword === 'pattern') {
    return add('schema-invalid-value', pointer, `${place}: ${got} is not a flow id (letters, digits, _, . and -, not starting with . or -); a subflow names a flow of the same folder by its id, never by a path`, part);
  }
  switch (err.keyword) {
    case 'required':
      return add('schema-missing-key', err.instancePath, `${describePlace(err.instancePath)} needs \`${String(params.missingProperty)}\``, err.instancePath === '' ? 'value' : 'key');
    case 'const':
      return add('schema-invalid-value', pointer, `${place} must be ${quote(params.allowedValue)} (this engine reads flow language v1); got ${got}`, part);
    case 'enum':
      return add('schema-invalid-value', pointer, `${place} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}; got ${got}`, part);
    case 'type': {
      // Quote the value as the author wrote it: `max: "6"` is wrong because of its quotes.
      const written = part === 'value' ? scalarSource(source, pointer) : undefined;
      if (written !== undefined && /^["']/.test(written) && ['integer', 'number', 'boolean'].includes(String(params.type))) {
        return add('schema-invalid-value', pointer, `${place} must be ${article(String(params.type))}; got \`${written}\`, which the quotes make a string: write it without quotes`, part);
      }
      return add('schema-invalid-value', pointer, `${place} must be ${article(String(params.type))}; got ${written !== undefined && written.length <= 60 ? `\`${written}\`` : got}`, part);
    }
    case 'minimum':
      return add('schema-invalid-value', pointer, `${place} must be at least ${String(params.limit)}; got ${got}`, part);
    case 'maximum':
      return add('schema-invalid-value', pointer, `${place} must be at most ${String(params.limit)}; got ${got}`, part);
    case 'minLength':
      return add('schema-invalid-value', pointer, `${place} must not be empty`, part);
    case 'minItems':
    case 'minProperties':
      return add('schema-invalid-value', pointer, `${place} must not be empty`, part);
    case 'pattern':
      return add('schema-invalid-value', pointer, `${place}: ${got} is not allowed here (must match ${String(params.pattern)})`, part);
    default:
      return add('schema-invalid-value', pointer, `${place}: ${got} ${err.message ?? 'is invalid'}`, part);
  }
}

function article(type: string): string {
  const words = type.split(',').map((t) => ({ integer: 'an integer', object: 'a map', array: 'a list', null: 'empty' })[t] ?? `a ${t}`);
  return words.join(' or ');
}

function segments(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function dataAt(data: unknown, instancePath: string): unknown {
  let here = data;
  for (const s of segments(instancePath)) here = here !== null && typeof here === 'object' ? (here as Record<string, unknown>)[s] : undefined;
  return here;
}
