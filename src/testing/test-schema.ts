import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** One schema violation, in the author's words, with where it is. */
export interface SchemaProblem {
  pointer: string;
  /** Set for an unknown key: the position is the key's, not its parent's. */
  key?: string;
  message: string;
}

const SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/flow-test.schema.json', import.meta.url));

let compiled: ValidateFunction | undefined;

/** The schema is compiled once per process (ajv compiles to code; doing it per file is wasteful). */
function validator(): ValidateFunction {
  if (compiled) return compiled;
  // ajv ships CommonJS with a default export; createRequire avoids ESM interop guesswork.
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv') as { default: new (o: object) => { compile(s: object): ValidateFunction } };
  const ajv = new Ajv.default({ allErrors: true, strict: false });
  compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  return compiled;
}

/**
 * Checks a test document against schemas/flow-test.schema.json. ajv reports every branch of a
 * `oneOf`; an author needs one message per place, so only the most specific error per
 * location is kept, worded for a flow author.
 */
export function validateTestDoc(data: unknown): SchemaProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const byPlace = new Map<string, ErrorObject>();
  // Deepest first: a bad key inside a step says more than "the step matches no form".
  const sorted = [...errors].sort((a, b) => depth(b) - depth(a));
  const reported: string[] = [];
  for (const err of sorted) {
    if (err.keyword === 'oneOf' || err.keyword === 'if') continue;
    const place = err.instancePath;
    // An error inside a place already reported covers its ancestors.
    if (reported.some((p) => p.startsWith(place + '/') || p === place)) continue;
    if (!byPlace.has(place)) byPlace.set(place, err);
    reported.push(place);
  }
  return [...byPlace.values()].map(toProblem);
}

function depth(err: ErrorObject): number {
  return err.instancePath.split('/').length + (err.keyword === 'additionalProperties' ? 1 : 0);
}

function toProblem(err: ErrorObject): SchemaProblem {
  const where = err.instancePath === '' ? 'the file' : describePlace(err.instancePath);
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties':
      return { pointer: err.instancePath, key: String(params.additionalProperty), message: `unknown key '${String(params.additionalProperty)}' in ${where}` };
    case 'required':
      return { pointer: err.instancePath, message: `${where} needs '${String(params.missingProperty)}'` };
    case 'enum':
      return { pointer: err.instancePath, message: `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'pattern':
      return { pointer: err.instancePath, message: `${where} does not look right (expected pattern ${String(params.pattern)})` };
    case 'type':
      return { pointer: err.instancePath, message: `${where} must be ${String(params.type)}` };
    case 'minProperties':
    case 'maxProperties':
      return { pointer: err.instancePath, message: `${where} must have exactly one key: press, played, wait, fetchFails, hangup or expect` };
    default:
      return { pointer: err.instancePath, message: `${where} ${err.message ?? 'is invalid'}` };
  }
}

/** `/cases/0/steps/2/press` -> `cases[1].steps[3].press` (1-based, as authors count). */
function describePlace(pointer: string): string {
  return pointer
    .slice(1)
    .split('/')
    .map((part, i) => (/^\d+$/.test(part) ? `[${Number(part) + 1}]` : (i === 0 ? '' : '.') + part))
    .join('');
}
