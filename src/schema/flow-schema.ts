import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseDuration } from '../flow/duration.js';

/** schemas/flow.schema.json, found from the compiled module (dist/src/schema/) or the source. */
export const FLOW_SCHEMA_PATH = locateSchema();

let compiled: ValidateFunction | undefined;
const definitionOwners = new Map<object, string>();

/**
 * The flow schema's validator, compiled once per process on first use (ajv compiles the schema
 * to code: doing it per flow would cost more than validating).
 */
export function flowSchemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  // ajv is CommonJS with a default export; createRequire sidesteps ESM interop differences.
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv') as { default: new (o: object) => { compile(s: object): ValidateFunction; addKeyword(k: object): void } };
  // verbose: errors carry the failing schema and data, which the messages quote.
  const ajv = new Ajv.default({ allErrors: true, strict: false, verbose: true });
  ajv.addKeyword(MAX_DURATION_KEYWORD);
  const schema = JSON.parse(readFileSync(FLOW_SCHEMA_PATH, 'utf8')) as { definitions?: Record<string, object> };
  for (const [name, definition] of Object.entries(schema.definitions ?? {})) claim(definition, name);
  compiled = ajv.compile(schema);
  return compiled;
}

/**
 * The schema definition (`duration`, `dtmfKeys`, `node`, ...) a sub-schema belongs to, given an
 * ajv error's `parentSchema`. ajv's `schemaPath` is relative to the last `$ref`, so it cannot
 * tell; the object itself can (ajv keeps the schema objects it was given).
 */
export function definitionOf(subSchema: unknown): string | undefined {
  return typeof subSchema === 'object' && subSchema !== null ? definitionOwners.get(subSchema) : undefined;
}

function claim(value: unknown, name: string): void {
  if (typeof value !== 'object' || value === null) return;
  definitionOwners.set(value, name);
  for (const child of Object.values(value)) claim(child, name);
}

/**
 * `maxDurationMs`: the schema's bound on durations (flow-language.md v1.1, "Bounds": 1h, and 24h
 * for maxCallDuration). A duration is text (`600h`) or a number (`.inf` is one), so JSON
 * Schema's `maximum` cannot say it; the value is read as the engine reads it, by parseDuration.
 * A malformed duration is left to the definition's pattern (`invalid-duration`).
 */
const MAX_DURATION_KEYWORD = {
  keyword: 'maxDurationMs',
  schemaType: 'number',
  validate: function maxDurationMs(this: unknown, max: number, data: unknown): boolean {
    const self = maxDurationMs as unknown as { errors?: object[] };
    if (typeof data !== 'string' && typeof data !== 'number') return true;
    const ms = typeof data === 'number' ? data : parseDuration(data);
    if (typeof data === 'string' && ms === undefined) return true;
    if (ms !== undefined && ms <= max) return true;
    self.errors = [{ keyword: 'maxDurationMs', params: { max }, message: `must be at most ${max} ms` }];
    return false;
  },
  errors: true,
};

/** Raw ajv errors for a document (empty when it conforms). */
export function schemaErrors(data: unknown): ErrorObject[] {
  const validate = flowSchemaValidator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

function locateSchema(): string {
  for (const relative of ['../../../schemas/flow.schema.json', '../../schemas/flow.schema.json']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  return fileURLToPath(new URL('../../../schemas/flow.schema.json', import.meta.url));
}
