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
  // verbose: errors carry the failing schema and data, which the messages quote. inlineRefs: false:
  // the refs left after `inlineRefs` below stay functions (ajv would copy each small one into every
  // place that names it: twice the code, and compiling took 120-140 ms instead of 70-90).
  const ajv = new Ajv.default({ allErrors: true, strict: false, verbose: true, inlineRefs: false });
  ajv.addKeyword(MAX_DURATION_KEYWORD);
  const schema = JSON.parse(readFileSync(FLOW_SCHEMA_PATH, 'utf8')) as { definitions?: Record<string, object> };
  for (const [name, definition] of Object.entries(schema.definitions ?? {})) claim(definition, name);
  assertNodesCheckedEachAlone(schema);
  compiled = ajv.compile(inlineRefs(schema, schema.definitions ?? {}, '#', false) as object);
  return compiled;
}

/**
 * The schema with every ref that validates an entry of a list or map (under `items`,
 * `additionalProperties`, `propertyNames`), and every ref inside one, replaced by the definition
 * itself: the same object, so `definitionOf` still names it (the schema has no recursion). ajv
 * compiles a definition that holds refs as a function of its own, and with `allErrors` joins each
 * failing call's errors to the ones before with `concat`, a copy of all of them: a menu of 20 000
 * wrong options took 48 s, four times as long as 10 000. Inline, every error is pushed. Not the
 * nodes map's: a node inlined with all its kinds made a megabyte of code, slower on every flow;
 * `schemaErrors` checks the nodes a slice at a time instead. A ref's sibling keywords are
 * descriptions only (test/schema/flow-schema.test.ts), which validation does not read.
 */
function inlineRefs(value: unknown, definitions: Record<string, object>, path: string, perEntry: boolean): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = inlineRefs(value[i], definitions, `${path}/${i}`, perEntry);
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const name = /^#\/definitions\/([^/]+)$/.exec(ref)?.[1];
    const definition = name === undefined ? undefined : definitions[name];
    if (definition === undefined) throw new Error(`flow schema: unknown $ref ${ref}`);
    return perEntry && path !== SLICED_NODES ? inlineRefs(definition, definitions, `#/definitions/${name!}`, true) : value;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    object[key] = inlineRefs(object[key], definitions, `${path}/${key}`, perEntry || PER_ENTRY.has(key));
  }
  return object;
}

const PER_ENTRY: ReadonlySet<string> = new Set(['items', 'additionalProperties', 'propertyNames']);

/**
 * `schemaErrors` checks the nodes a slice at a time, which gives the errors of one call only while
 * the nodes map's schema looks at each node (and its name) alone: a keyword about the map as a
 * whole (`maxProperties`, `dependentRequired`...) would be checked on slices. Said here, at compile.
 */
function assertNodesCheckedEachAlone(schema: object): void {
  const nodes = (schema as { properties?: { nodes?: object } }).properties?.nodes ?? {};
  const whole = Object.keys(nodes).filter((k) => !['type', 'description', 'minProperties', 'propertyNames', 'additionalProperties'].includes(k));
  if (whole.length > 0) throw new Error(`flow schema: the nodes map has ${whole.join(', ')}, which schemaErrors' slices would not check as one call does`);
}
const SLICED_NODES = '#/properties/nodes/additionalProperties';

/**
 * The schema definition (`duration`, `dtmfKeys`, `node`, ...) a sub-schema belongs to, given an
 * ajv error's `parentSchema`. ajv's `schemaPath` is relative to the last `$ref` that was not inlined,
 * so it cannot tell; the object itself can (ajv keeps the schema objects it was given).
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

/**
 * Nodes checked per call of the validator. The definitions a node's kinds use are functions of
 * their own in ajv's code (inlined, they made a megabyte of it, slower on every flow), and each
 * failing call copies every error found so far in that call (`inlineRefs`): checked a slice at a
 * time, a file of thousands of wrong nodes costs each slice's errors, not all of them per node.
 */
const NODES_PER_CALL = 256;

/** Raw ajv errors for a document (empty when it conforms), in the document's order. */
export function schemaErrors(data: unknown): ErrorObject[] {
  const validate = flowSchemaValidator();
  const nodes = isPlainMap(data) && isPlainMap(data.nodes) ? data.nodes : undefined;
  const names = nodes === undefined ? [] : Object.keys(nodes);
  if (nodes === undefined || names.length <= NODES_PER_CALL) return validate(data) ? [] : [...(validate.errors ?? [])];
  // In ajv's order, as one call gives them: the document's own and the nodes map's (its names), then each node's.
  const head: ErrorObject[] = [];
  const perNode: ErrorObject[] = [];
  for (let from = 0; from < names.length; from += NODES_PER_CALL) {
    const slice = Object.fromEntries(names.slice(from, from + NODES_PER_CALL).map((name) => [name, nodes[name]]));
    // The first slice with the rest of the document; the others alone, keeping only what is said of the nodes.
    const first = from === 0;
    if (validate(first ? { ...(data as object), nodes: slice } : { ivr: (data as { ivr?: unknown }).ivr, nodes: slice })) continue;
    for (const err of validate.errors ?? []) {
      if (err.instancePath.startsWith('/nodes/')) perNode.push(err);
      else if (first || err.instancePath === '/nodes') head.push(err);
    }
  }
  return [...head, ...perNode];
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function locateSchema(): string {
  for (const relative of ['../../../schemas/flow.schema.json', '../../schemas/flow.schema.json']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  return fileURLToPath(new URL('../../../schemas/flow.schema.json', import.meta.url));
}
