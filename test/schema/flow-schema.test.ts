import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseFlow } from '../../src/parse/parse-flow.js';
import { checkSchema } from '../../src/schema/schema-diagnostics.js';
import { FLOW_SCHEMA_PATH, flowSchemaValidator, schemaErrors } from '../../src/schema/flow-schema.js';
import { MAX_SAME_MISTAKES } from '../../src/parse/yaml-mistakes.js';

/** Schema diagnostics of a flow text, as `code line:col message`. */
function schemaFindings(text: string): { code: string; at: string; message: string }[] {
  const parsed = parseFlow('/flows/t.yaml', text);
  assert.ok(parsed.value, parsed.diagnostics.map((d) => d.message).join('\n'));
  return checkSchema(parsed.value).map((d) => ({ code: d.code, at: `${d.line}:${d.col}`, message: d.message }));
}

/** The complete example of flow-language.md, which must be valid. */
const CONTRACT_EXAMPLE = readFileSync('/work/shared/flow-language.md', 'utf8').match(/```yaml\n([\s\S]*?)```/)?.[1];

describe('schema: what it accepts', () => {
  test('the complete example of the language contract conforms', { skip: CONTRACT_EXAMPLE === undefined && 'contract not found' }, () => {
    assert.deepEqual(schemaFindings(CONTRACT_EXAMPLE!), []);
  });

  test('every node kind, with every key of the contract, conforms', () => {
    const text = `ivr: 1
id: all-kinds
description: every kind
settings: { timeout: 5s, interDigitTimeout: 3000, bargeIn: true, language: en, maxCallDuration: 30m }
prompts: { hi: { file: hi.wav, text: Hi } }
vars: { a: "", n: 0, d: 0.0, b: false, x: null }
global: { "0": e, "*9": { goto: e, set: { a: "'g'" } } }
onError: e
onFailure: e
start: p
nodes:
  p: { play: [hi, { digits: "n" }, { number: "d" }, { silence: 500ms }], next: m, bargeIn: false, description: d }
  m:
    menu:
      prompt: hi
      reprompt: [hi]
      options: { "1": c, "2": { goto: br, set: { a: "input" } } }
      match: [{ pattern: "^2[0-9]{3}$", goto: e, set: { a: "input" } }]
      maxDigits: 4
      terminator: ""
      global: false
      noInput: { prompt: hi, max: 2, then: e }
      noMatch: { max: 1 }
    timeout: 2s
    interDigitTimeout: 1s
  c: { collect: { prompt: hi, into: a, min: 1, max: 4, terminator: "#", pattern: "^[0-9]+$", valid: "size(input) > 0", sensitive: true, global: true }, next: br }
  br: { branch: [{ if: "n > 1", goto: s, set: { n: "n - 1" } }, { goto: f }] }
  s: { set: { n: "n + 1" }, next: f }
  f: { fetch: { url: "https://x/{{ a }}", method: POST, headers: { X-K: "{{ env.KEY }}" }, body: { k: "{{ a }}", l: [1] }, timeout: 2s, retries: 1, prompt: hi, set: { a: "response.body.a" } }, next: t, onError: e }
  t: { transfer: { prompt: hi, dtmf: "*2{{ a }}#", settle: 1s }, next: r }
  r: { record: { prompt: hi, beep: false, maxDuration: 2m, silenceTimeout: 3s, terminator: "*", into: a }, next: sub }
  sub: { subflow: { flow: other, input: { v: "a" }, output: { a: "v" } }, next: ret }
  ret: { return: {} }
  e: { end: { prompt: hi, reason: completed } }
  e2: { end: }
`;
    assert.deepEqual(schemaFindings(text), []);
  });
});

describe('schema: mistakes in plain words at the exact key', () => {
  test('a misspelt key gets a did-you-mean at the key itself', () => {
    const [f, ...rest] = schemaFindings('ivr: 1\nnodes:\n  m:\n    menu:\n      promt: hi\n      options: { "1": m }\n');
    assert.deepEqual(rest, []);
    assert.deepEqual([f?.code, f?.at], ['schema-unknown-key', '5:7']);
    assert.equal(f?.message, 'node `m`: `menu`: unknown key `promt` — did you mean `prompt`?');
  });

  test('a misspelt kind key gets one did-you-mean, not a "needs exactly one kind" cascade', () => {
    const found = schemaFindings('ivr: 1\nnodes:\n  a:\n    plya: hi\n    next: a\n');
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['schema-unknown-key', '4:5']]);
    assert.match(found[0]!.message, /did you mean `play`\?/);
  });

  test('a node without a kind key names the kinds it may have', () => {
    const found = schemaFindings('ivr: 1\nnodes:\n  a:\n    next: a\n');
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['schema-node-kind', '3:3']]);
    assert.match(found[0]!.message, /node `a` needs exactly one of play, menu, collect, branch, split, set, fetch, transfer, record, subflow, return, end/);
  });

  test('a node with two kinds is one diagnostic at the second kind key', () => {
    const found = schemaFindings('ivr: 1\nnodes:\n  a:\n    play: hi\n    end: {}\n');
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['schema-node-kind', '5:5']]);
    assert.match(found[0]!.message, /has `play` and `end`/);
  });

  test('a wrong prompt value is one message, not one per alternative', () => {
    const found = schemaFindings('ivr: 1\nnodes:\n  a:\n    play: 5\n    next: a\n');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.code, 'schema-invalid-value');
    assert.match(found[0]!.message, /must be a prompt name, \{ digits: <expr> \}/);
  });

  test('a misspelt key inside a prompt item suggests the item key', () => {
    const found = schemaFindings('ivr: 1\nnodes:\n  a:\n    play: [hi, { digts: "1" }]\n    next: a\n');
    assert.deepEqual(found.map((f) => [f.code, f.at, f.message]), [['schema-unknown-key', '4:18', 'node `a`: `play[1]`: unknown key `digts` — did you mean `digits`?']]);
  });

  test('a bad duration says what a duration looks like and quotes the value', () => {
    const found = schemaFindings('ivr: 1\nsettings: { timeout: 5 sec }\nnodes:\n  a:\n    end: {}\n');
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['invalid-duration', '2:22']]);
    assert.match(found[0]!.message, /`settings.timeout` must be a duration like 250ms, 5s, 2m, 1h or a number of milliseconds; got `5 sec`/);
  });

  test('fetch retries are bounded: more than 10 is refused at the value, saying the bound', () => {
    assert.deepEqual(schemaFindings('ivr: 1\nnodes:\n  f:\n    fetch: { url: x, retries: 10 }\n    next: f\n'), []);
    const found = schemaFindings('ivr: 1\nnodes:\n  f:\n    fetch: { url: x, retries: 1000000 }\n    next: f\n');
    assert.deepEqual(found.map((f) => [f.code, f.at, f.message]), [['schema-invalid-value', '4:31', 'node `f`: `fetch.retries` must be at most 10; got `1000000`']]);
  });

  test('option and global keys must be DTMF keys, reported at the key', () => {
    const found = schemaFindings('ivr: 1\nglobal: { "0x": a }\nnodes:\n  a:\n    menu: { options: { "E": a } }\n');
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['invalid-dtmf', '2:11'], ['invalid-dtmf', '5:24']]);
  });

  test('a missing required key is named, at the map that lacks it', () => {
    const found = schemaFindings('ivr: 1\nvars: { a: "" }\nnodes:\n  c:\n    collect: { max: 3 }\n    next: c\n');
    assert.deepEqual(found.map((f) => [f.code, f.at, f.message]), [['schema-missing-key', '5:5', 'node `c`: `collect` needs `into`']]);
  });

  test('a required key missing next to a misspelt one is only the misspelling', () => {
    const found = schemaFindings('ivr: 1\nvars: { a: "" }\nnodes:\n  c:\n    collect: { inot: a }\n    next: c\n');
    assert.deepEqual(found.map((f) => f.code), ['schema-unknown-key']);
    assert.match(found[0]!.message, /did you mean `into`/);
  });

  test('wrong language version and enum values list what is allowed', () => {
    const found = schemaFindings('ivr: 2\nnodes:\n  f:\n    fetch: { url: x, method: FETCH }\n    next: f\n');
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['schema-invalid-value', '1:6'], ['schema-invalid-value', '4:30']]);
    assert.match(found[1]!.message, /must be one of GET, POST, PUT, PATCH, DELETE; got `FETCH`/);
  });

  test('reserved and malformed variable names', () => {
    const found = schemaFindings('ivr: 1\nvars: { input: "", 2x: 1 }\nnodes:\n  a:\n    end: {}\n');
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['invalid-variable-name', '2:9'], ['invalid-variable-name', '2:20']]);
    assert.match(found[0]!.message, /`input` is a reserved name/);
  });
});

describe('schema: the file itself', () => {
  const schema = JSON.parse(readFileSync(FLOW_SCHEMA_PATH, 'utf8')) as object;

  test('every property has a description (editors show them)', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as { properties?: Record<string, { description?: string; $ref?: string }> }).properties;
      for (const [name, sub] of Object.entries(props ?? {})) {
        const refDescribed = sub.$ref !== undefined && describedDefinition(schema, sub.$ref);
        if (typeof sub.description !== 'string' && !refDescribed) missing.push(`${path}/${name}`);
      }
      for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`);
    };
    walk(schema, '#');
    assert.deepEqual(missing, []);
  });

  test('every object schema with properties forbids other keys', () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as { properties?: object; additionalProperties?: unknown };
      if (n.properties !== undefined && n.additionalProperties !== false) open.push(path);
      for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`);
    };
    walk(schema, '#');
    assert.deepEqual(open, []);
  });

  test('is compiled once and reused', () => {
    assert.equal(flowSchemaValidator(), flowSchemaValidator());
  });

  test('every value of a list or map is checked by code of its own, no ref left there but the nodes map\'s (checked in slices)', () => {
    const left: string[] = [];
    const walk = (node: unknown, path: string, perEntry: boolean): void => {
      if (typeof node !== 'object' || node === null) return;
      if (perEntry && '$ref' in node && path !== '#/properties/nodes/additionalProperties') left.push(path);
      for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`, perEntry || ['items', 'additionalProperties', 'propertyNames'].includes(k));
    };
    const compiled = (flowSchemaValidator() as unknown as { schema: object }).schema;
    walk(compiled, '#', false);
    assert.deepEqual(left, []);
    assert.ok(JSON.stringify(compiled).includes('"additionalProperties":{"$ref":"#/definitions/node"'), 'the nodes map keeps its ref');
  });

  test('a ref says nothing beside its target but a description (the validator inlines some refs, dropping what is beside them)', () => {
    const schema = JSON.parse(readFileSync(FLOW_SCHEMA_PATH, 'utf8')) as object;
    const extra: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      if ('$ref' in node) for (const key of Object.keys(node)) if (key !== '$ref' && key !== 'description') extra.push(`${path}/${key}`);
      for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`);
    };
    walk(schema, '#');
    assert.deepEqual(extra, []);
  });
});

describe('schema: files with thousands of mistakes', () => {
  /** A flow of `count` nodes, six of every seven wrong in their own ways, one without a name, and a wrong version. */
  function manyNodes(count: number): Record<string, unknown> {
    const nodes: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const next = `n${(i + 1) % count}`;
      const wrong = [
        { play: { bad: 1 }, next },
        { play: 'p', end: {} },
        { menu: { prompt: 'p', options: { 1: { goto: 5 }, x: next } } },
        { play: 'p', timeout: '5 parsecs', next },
        { branch: [{ if: 1, goto: next }, { goto: next, set: { '1x': 'a' } }] },
        { collect: { prompt: ['p', { silence: 'long' }], into: 'a', max: 'six' }, next },
        {},
      ][i % 7];
      // An empty name (the one a node may not have) in a later slice than the first.
      nodes[i === 1000 ? '' : `n${i}`] = wrong;
    }
    return { ivr: 2, vars: { a: '' }, nodes };
  }

  test('nodes are checked a slice at a time: the same errors, in the same order, as one call over the whole file', () => {
    const data = manyNodes(1500);
    const whole = flowSchemaValidator();
    assert.equal(whole(data), false);
    const key = (e: { instancePath: string; keyword: string; message?: string; params: object }): string => `${e.instancePath} ${e.keyword} ${e.message} ${JSON.stringify(e.params)}`;
    const expected = (whole.errors ?? []).map(key);
    assert.ok(expected.length > 5000, `${expected.length} errors`);
    assert.ok(expected.some((e) => e.startsWith('/nodes propertyNames')) && expected.some((e) => e.startsWith('/ivr ')), 'node names and the top level are among them');
    assert.deepEqual(schemaErrors(data).map(key), expected);
  });

  test('at most MAX_SAME_MISTAKES messages of a code per file, the last one counting the rest', () => {
    const text = `ivr: 1\nvars:\n${Array.from({ length: 100 }, (_, i) => `  v${i}: { k: [1] }`).join('\n')}\nnodes:\n  a:\n    end: {}\n`;
    const found = schemaFindings(text);
    assert.equal(found.length, MAX_SAME_MISTAKES);
    assert.deepEqual(new Set(found.map((f) => f.code)), new Set(['schema-invalid-value']));
    assert.equal(found[0]!.at, '3:7');
    assert.match(found.at(-1)!.message, / \(and 80 more `schema-invalid-value` findings in this file\)$/);
  });
});

function describedDefinition(schema: object, ref: string): boolean {
  const name = ref.replace('#/definitions/', '');
  const def = (schema as { definitions: Record<string, { description?: string }> }).definitions[name];
  return typeof def?.description === 'string';
}

describe('schema: one source for a flow id', () => {
  test('the schema\'s id pattern is the one the server routes and --default-flow use', async () => {
    const { FLOW_ID_SOURCE } = await import('../../src/flow/flow-id.js');
    const schema = JSON.parse(readFileSync(FLOW_SCHEMA_PATH, 'utf8')) as { properties: { id: { $ref: string } }; definitions: { flowId: { pattern: string } } };
    // `id:` and `subflow.flow` both name a flow: one definition.
    assert.equal(schema.definitions.flowId.pattern, `^${FLOW_ID_SOURCE}$`);
    assert.equal(schema.properties.id.$ref, '#/definitions/flowId');
  });
});
