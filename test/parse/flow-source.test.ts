import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { YAML_ENV_SWITCHES, countValues, locate, pointerOf, positionOf, readSource, releaseDocument, scalarSource, valueCharOffset } from '../../src/parse/flow-source.js';
import { parseFlow } from '../../src/parse/parse-flow.js';
import { FLOW_FILE_LIMITS } from '../../src/parse/read-flow-file.js';
import { MAX_SAME_MISTAKES } from '../../src/parse/yaml-mistakes.js';
import { varTypes } from '../../src/parse/var-types.js';
import type { FlowDoc } from '../../src/flow/types.js';

const TEXT = `ivr: 1
vars:
  balance: 0.0
  count: 0
  name: ""
  ok: true
nodes:
  "a/b":
    play: [hello, { digits: "count" }]
    next: end~it
  end~it:
    end: {}
`;

function parsed() {
  const result = parseFlow('/flows/x.yaml', TEXT);
  assert.ok(result.value, 'parses');
  return result.value;
}

function lineCol(pointer: string, part: 'key' | 'value') {
  const source = parsed();
  const span = locate(source, pointer)[part];
  assert.ok(span, `${pointer} has a ${part}`);
  return positionOf(source, span.start);
}

describe('parse: source positions by JSON pointer', () => {
  test('finds the key and the value of a map member', () => {
    assert.deepEqual(lineCol('/nodes/end~0it', 'key'), { line: 11, col: 3 });
    assert.deepEqual(lineCol('/nodes/a~1b/next', 'value'), { line: 10, col: 11 });
    assert.deepEqual(lineCol('/nodes/a~1b/next', 'key'), { line: 10, col: 5 });
  });

  test('finds list items and keys inside flow maps', () => {
    assert.deepEqual(lineCol('/nodes/a~1b/play/1/digits', 'value'), { line: 9, col: 29 });
    assert.deepEqual(lineCol('/nodes/a~1b/play/0', 'value'), { line: 9, col: 12 });
  });

  test('a missing pointer lands on its nearest existing ancestor, marked inexact', () => {
    const source = parsed();
    const at = locate(source, '/nodes/a~1b/menu/prompt');
    assert.equal(at.exact, false);
    assert.deepEqual(positionOf(source, at.key!.start), { line: 8, col: 3 });
  });

  test('pointerOf escapes ~ and / like RFC 6901', () => {
    assert.equal(pointerOf('nodes', 'a/b', 'end~it', 0), '/nodes/a~1b/end~0it/0');
  });

  test('keeps the exact source text of scalars, so 0.0 and 0 differ', () => {
    const source = parsed();
    assert.equal(scalarSource(source, '/vars/balance'), '0.0');
    assert.equal(scalarSource(source, '/vars/count'), '0');
    assert.equal(scalarSource(source, '/nodes'), undefined);
  });

  test('types variables from their initial values, 0.0 as double and 0 as int', () => {
    const source = parsed();
    assert.deepEqual(varTypes(source, source.data as FlowDoc), { balance: 'double', count: 'int', name: 'string', ok: 'bool' });
  });

  test('maps a character inside a quoted value to its file offset', () => {
    const source = parsed();
    const offset = valueCharOffset(source, '/nodes/a~1b/play/1/digits', 2);
    assert.deepEqual(positionOf(source, offset!), { line: 9, col: 32 });
  });
});

describe('parse: a source whose document was let go', () => {
  const POINTERS = ['', '/vars/balance', '/nodes/a~1b/play/1/digits', '/nodes/end~0it/end', '/nodes/missing/next'];

  test('parses the text again when read, once, to the same positions and scalar text', () => {
    const source = parsed();
    const first = source.yaml;
    const before = POINTERS.map((pointer) => locate(source, pointer));
    const beforeText = scalarSource(source, '/vars/balance');
    releaseDocument(source);
    const again = source.yaml;
    assert.notEqual(again, first, 'the source no longer holds the first document');
    assert.equal(source.yaml, again, 'parsed again once, not at every read');
    const after = POINTERS.map((pointer) => locate(source, pointer));
    assert.deepEqual(after.map(({ key, value, exact }) => ({ key, value, exact })), before.map(({ key, value, exact }) => ({ key, value, exact })));
    assert.equal(scalarSource(source, '/vars/balance'), beforeText);
    assert.deepEqual(positionOf(source, after[2]!.value!.start), { line: 9, col: 29 });
  });

  test("the index of a long map's pairs goes with its document, and is made again for the new one", () => {
    const names = Array.from({ length: 40 }, (_, i) => `n${i}`);
    const source = readSource('/flows/long.yaml', `ivr: 1\nnodes:\n${names.map((n) => `  ${n}: { end: done }\n`).join('')}`);
    const first = locate(source, '/nodes/n39/end');
    const indexed = [...(source.pairIndex ?? new Map()).keys()];
    assert.deepEqual(indexed, [source.yaml.get('nodes')], 'the nodes map (40 pairs) is indexed, not searched');
    releaseDocument(source);
    assert.equal(source.pairIndex, undefined, 'let go with the document it points into');
    assert.deepEqual(locate(source, '/nodes/n39/end').value, first.value);
    assert.deepEqual([...source.pairIndex!.keys()], [source.yaml.get('nodes')], "the new document's map");
  });
});

describe('parse: how many values a document holds', () => {
  test('every map, list and scalar, a shared part counted each time it is used, each object walked once', () => {
    assert.equal(countValues(5, 10), 1);
    assert.equal(countValues({ a: 1, b: [1, 2] }, 100), 5);
    const shared = [1, 2, 3];
    assert.equal(countValues({ a: shared, b: shared, c: [shared, shared] }, 100), 1 + 4 + 4 + 1 + 4 + 4);
    // 30 levels of a list holding the level below twice: 2^30 values, counted from 31 objects.
    let nested: unknown = [1];
    for (let i = 0; i < 30; i++) nested = [nested, nested];
    assert.ok(countValues(nested, 1000) > 1000, 'past the limit: any number above it, at once');
    const cycle: unknown[] = [1];
    cycle.push(cycle);
    assert.equal(countValues(cycle, 1000), Number.POSITIVE_INFINITY);
  });

  test('readSource refuses data past FLOW_FILE_LIMITS.maxValues, pointing at the first alias', () => {
    const text = `ivr: 1\nx: &a [${Array.from({ length: 2000 }, () => '1').join(', ')}]\nnodes:\n${Array.from({ length: 60 }, (_, i) => `  n${i}: *a`).join('\n')}\n`;
    const source = readSource('/flows/x.yaml', text);
    assert.equal(source.data, undefined);
    assert.deepEqual(source.tooManyValues, { offset: text.indexOf('*a'), aliases: true, endless: false });
    const fine = readSource('/flows/x.yaml', text.replace(/n(\d+): \*a/g, (m, i) => (Number(i) < 10 ? m : `n${i}: 1`)));
    assert.equal(fine.tooManyValues, undefined);
    assert.ok(fine.data !== undefined);

    // Exactly at the bound is allowed, one more is not: the root map, ivr, nodes, a, end and x, then x's items.
    const atBound = (items: number): string => `ivr: 1\nnodes:\n  a:\n    end: {}\nx: [${Array.from({ length: items }, () => '1').join(',')}]\n`;
    assert.ok(readSource('/flows/x.yaml', atBound(FLOW_FILE_LIMITS.maxValues - 6)).data !== undefined);
    assert.deepEqual(readSource('/flows/x.yaml', atBound(FLOW_FILE_LIMITS.maxValues - 5)).tooManyValues, { offset: 0, aliases: false, endless: false });
    // An alias inside what it names: data holding itself, said as such.
    const endless = parseFlow('/flows/x.yaml', 'ivr: 1\nx: &a [1, *a]\nnodes:\n  a:\n    end: {}\n');
    assert.deepEqual(endless.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['file-too-large 2:11']);
    assert.match(endless.diagnostics[0]!.message, /^an alias inside what it names makes data that holds itself/);
  });
});

describe('parse: YAML errors are diagnostics with positions', () => {
  test('an unclosed flow map is yaml-syntax at the line where YAML noticed', () => {
    const result = parseFlow('/flows/bad.yaml', 'ivr: 1\nnodes:\n  a:\n    end: { reason: x\n');
    assert.equal(result.value, undefined);
    const [d] = result.diagnostics;
    assert.equal(d?.code, 'yaml-syntax');
    assert.equal(d?.severity, 'error');
    assert.equal(d?.file, '/flows/bad.yaml');
    assert.ok(d!.line >= 4, `line ${d!.line}`);
    assert.doesNotMatch(d!.message, /\n/);
  });

  test('a key given twice is duplicate-key at the second one, naming it', () => {
    const result = parseFlow('/flows/dup.yaml', 'ivr: 1\nnodes:\n  a:\n    end: {}\n  a:\n    end: {}\n');
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.line, d.col]),
      [['duplicate-key', 5, 3]],
    );
    assert.match(result.diagnostics[0]!.message, /key `a` appears twice/);
  });

  test('keys given twice: at most MAX_SAME_MISTAKES diagnostics, the last counting the rest; a long key is quoted cut', () => {
    const keys = Array.from({ length: 5000 }, () => `  ${'k'.repeat(200)}: 1`);
    const result = parseFlow('/flows/dup.yaml', `ivr: 1\nnodes:\n  b:\n    end: {}\nvars:\n${keys.join('\n')}\n`);
    assert.equal(result.diagnostics.length, MAX_SAME_MISTAKES);
    assert.deepEqual([result.diagnostics[0]!.code, result.diagnostics[0]!.line], ['duplicate-key', 7]);
    assert.equal(result.diagnostics[0]!.message, `key \`${'k'.repeat(80)}…\` appears twice in the same map; the second would silently replace the first`);
    assert.match(result.diagnostics.at(-1)!.message, /replace the first \(and 4979 more keys given twice below it\)$/);
  });

  test('a tab used for indentation is reported, not thrown', () => {
    const result = parseFlow('/flows/tab.yaml', 'ivr: 1\nnodes:\n\ta:\n\t\tend: {}\n');
    assert.ok(result.diagnostics.length > 0);
    assert.ok(result.diagnostics.every((d) => d.code === 'yaml-syntax'));
  });

  test('an alias to no anchor is yaml-syntax at the alias, not an exception', () => {
    const result = parseFlow('/flows/alias.yaml', 'ivr: 1\nnodes:\n  a:\n    end: { reason: *nope }\n');
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.line, d.col]), [['yaml-syntax', 4, 20]]);
    assert.match(result.diagnostics[0]!.message, /Unresolved alias/);
  });

  test('yaml\'s warnings: at most MAX_SAME_MISTAKES, the last counting the rest', () => {
    const text = `ivr: 1\nnodes:\n${Array.from({ length: 50 }, (_, i) => `  n${i}: { play: !nope p, next: n0 }`).join('\n')}\n`;
    const found = parseFlow('/flows/x.yaml', text).diagnostics;
    assert.equal(found.length, MAX_SAME_MISTAKES);
    assert.ok(found.every((d) => d.code === 'yaml-syntax'));
    assert.match(found.at(-1)!.message, / \(and 30 more `yaml-syntax` findings in this file\)$/);
  });

  test('a flow file is YAML 1.2: a %YAML 1.1 directive (yes as true, << merges copied) is refused before the data is made', () => {
    const found = parseFlow('/flows/x.yaml', '%YAML 1.1\n---\nivr: 1\nx: yes\nnodes:\n  a:\n    end: {}\n');
    assert.equal(found.value, undefined);
    assert.deepEqual(found.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['yaml-syntax 1:1']);
    assert.match(found.diagnostics[0]!.message, /flow files are YAML 1\.2: remove the `%YAML 1\.1` line/);
    assert.ok(parseFlow('/flows/x.yaml', '%YAML 1.2\n---\nivr: 1\nnodes:\n  a:\n    end: {}\n').value);
  });

  test('an alias bomb is refused, not expanded', () => {
    const bomb = 'a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    const result = parseFlow('/flows/bomb.yaml', bomb);
    assert.equal(result.value, undefined);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['yaml-syntax']);
  });
});

describe('the environment yaml sees while it parses', () => {
  test('holds every variable yaml reads: an upgrade that reads another fails here, not silently', () => {
    const dist = dirname(createRequire(import.meta.url).resolve('yaml'));
    const read = new Set<string>();
    for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js')) continue;
      const code = readFileSync(join(dist, file), 'utf8');
      for (const m of code.matchAll(/\.env(?:\.([A-Za-z_$][\w$]*)|\[)/g)) read.add(m[1] ?? '[computed]');
    }
    assert.deepEqual([...read].sort(), [...YAML_ENV_SWITCHES].sort());
  });

  test('the real environment is back after a parse, also one that throws', () => {
    const live = process.env;
    readSource('/flows/x.yaml', 'a: [1, 2');
    assert.equal(process.env, live);
    assert.throws(() => readSource('/flows/x.yaml', null as unknown as string));
    assert.equal(process.env, live);
  });
});
