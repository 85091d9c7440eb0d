import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Composer } from 'yaml';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { MAX_SAME_MISTAKES } from '../../src/parse/yaml-mistakes.js';
import { HELLO_WAV, flowDir } from '../check/flow-dir.js';

const GOOD = 'ivr: 1\nnodes:\n  a:\n    play: hello\n    next: b\n  b:\n    end: {}\n';

describe('loadFlows', () => {
  test('walks folders recursively, skipping flow tests, and ids flows by file name or id:', async () => {
    const dir = flowDir({
      'support.yaml': GOOD,
      'support.test.yaml': 'flow: support\ncases: []\n',
      'nested/billing.yml': `id: money\n${GOOD}`,
      'prompts/hello.wav': HELLO_WAV,
      'nested/prompts/hello.wav': HELLO_WAV,
    });
    const set = await loadFlows([dir]);
    assert.deepEqual([...set.flows.keys()].sort(), ['money', 'support']);
    assert.deepEqual(set.diagnostics, []);
    const support = set.flows.get('support')!;
    assert.equal(support.file, join(dir, 'support.yaml'));
    assert.equal(support.dir, dir);
    assert.equal(support.doc.nodes.a !== undefined, true);
    assert.deepEqual(support.diagnostics, []);
    assert.deepEqual(support.varTypes, {});
  });

  test('a flow test named explicitly is skipped too', async () => {
    const dir = flowDir({ 'support.test.yaml': 'flow: support\ncases: []\n' });
    const set = await loadFlows([join(dir, 'support.test.yaml')]);
    assert.equal(set.flows.size, 0);
    assert.deepEqual(set.diagnostics, []);
  });

  test('flows with errors are still returned, with their diagnostics', async () => {
    const dir = flowDir({ 'broken.yaml': 'ivr: 1\nnodes:\n  a:\n    play: hello\n' });
    const set = await loadFlows([dir]);
    const flow = set.flows.get('broken');
    assert.ok(flow);
    assert.equal(hasErrors(flow.diagnostics), true);
    // in position order: `play` (4:5) lacks next, `hello` (4:11) has no file
    assert.deepEqual(flow.diagnostics.map((d) => d.code), ['next-missing', 'unknown-prompt']);
  });

  test('an unparseable flow is returned with an empty doc, so nothing can run it by mistake', async () => {
    const dir = flowDir({ 'bad.yaml': 'ivr: 1\nnodes: [\n' });
    const flow = (await loadFlows([dir])).flows.get('bad')!;
    assert.deepEqual(flow.doc.nodes, {});
    assert.equal(flow.diagnostics[0]?.code, 'yaml-syntax');
  });

  test('two flows with one id: the second is a duplicate-flow-id in the set diagnostics', async () => {
    const dir = flowDir({ 'a.yaml': `id: same\n${GOOD}`, 'b.yaml': `id: same\n${GOOD}`, 'prompts/hello.wav': HELLO_WAV });
    const set = await loadFlows([dir]);
    assert.equal(set.flows.get('same')?.file, join(dir, 'a.yaml'));
    assert.deepEqual(set.diagnostics.map((d) => [d.code, d.file, d.line, d.col]), [['duplicate-flow-id', join(dir, 'b.yaml'), 1, 5]]);
  });

  test('a path that does not exist is a file-unreadable diagnostic, not a throw', async () => {
    const set = await loadFlows(['/nonexistent/flows']);
    assert.deepEqual(set.diagnostics.map((d) => d.code), ['file-unreadable']);
  });

  test('the version changes with the flow text and with the audio it plays, and only then', async () => {
    const dir = flowDir({ 'f.yaml': GOOD, 'prompts/hello.wav': HELLO_WAV });
    const v1 = (await loadFlows([dir])).flows.get('f')!.version;
    const again = (await loadFlows([dir])).flows.get('f')!.version;
    assert.match(v1, /^[0-9a-f]{12}$/);
    assert.equal(again, v1);
    copyFileSync('test/fixtures/broken/prompts/long.wav', join(dir, 'prompts/hello.wav'));
    const v2 = (await loadFlows([dir])).flows.get('f')!.version;
    assert.notEqual(v2, v1);
    writeFileSync(join(dir, 'f.yaml'), `${GOOD}# a comment\n`);
    const v3 = (await loadFlows([dir])).flows.get('f')!.version;
    assert.notEqual(v3, v2);
  });

  test('variables are typed from their source text for the compiler', async () => {
    const dir = flowDir({ 'f.yaml': `ivr: 1\nvars: { d: 0.0, i: 0, s: "", b: true }\nnodes:\n  a:\n    end: {}\n` });
    assert.deepEqual((await loadFlows([dir])).flows.get('f')!.varTypes, { d: 'double', i: 'int', s: 'string', b: 'bool' });
  });

  test('the shipped flows load without errors', async () => {
    const set = await loadFlows(['flows']);
    assert.ok(set.flows.size > 0);
    for (const flow of set.flows.values()) assert.deepEqual(flow.diagnostics.filter((d) => d.severity === 'error'), [], flow.id);
  });

  test('each flow is parsed once; again only when the set\'s checks place a diagnostic in it, and then once', async () => {
    // Every YAML document the load composes, counted where yaml makes them (Composer is yaml's one class for it).
    const compose = Composer.prototype.compose;
    let documents = 0;
    Composer.prototype.compose = function* (...args: Parameters<typeof compose>) {
      for (const doc of compose.apply(this, args)) {
        documents++;
        yield doc;
      }
    };
    try {
      const files = readdirSync('flows').filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));
      const shipped = await loadFlows(['flows']);
      assert.equal(shipped.flows.size, files.length);
      assert.equal(documents, files.length, 'the shipped flows (with subflows, no set-level finding): one document each');

      documents = 0;
      const unknown = 'ivr: 1\nnodes:\n  a:\n    subflow: { flow: nosuch }\n    next: b\n  b:\n    end: {}\n';
      const twice = 'ivr: 1\nnodes:\n  a:\n    subflow: { flow: nosuch }\n    next: b\n  b:\n    subflow: { flow: nothere }\n    next: c\n  c:\n    end: {}\n';
      const set = await loadFlows([flowDir({ 'clean.yaml': GOOD, 'one.yaml': unknown, 'two.yaml': twice })]);
      assert.deepEqual(set.flows.get('one')!.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['unknown-subflow 4:22']);
      assert.deepEqual(set.flows.get('two')!.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['unknown-subflow 4:22', 'unknown-subflow 7:22']);
      assert.equal(documents, 3 + 2, 'three files, and once more for each of the two with a finding of the set');
    } finally {
      Composer.prototype.compose = compose;
    }
  });

  test('the set\'s findings share the file\'s limit per code with its own: 15 of each, 20 listed, the rest counted', async () => {
    // a0..a14: subflow inputs the child does not declare, and a number into its string (the set's checks);
    // a15..a29: the same two codes from the flow's own checks.
    const nodes: string[] = [];
    for (let i = 0; i < 15; i++) nodes.push(`  a${i}:`, `    subflow: { flow: child, input: { nope${i}: "1", k: "1" } }`, `    next: a${i + 1}`);
    for (let i = 15; i < 30; i++) nodes.push(`  a${i}:`, `    set: { undecl${i}: "1", n: "s" }`, `    next: a${i + 1}`);
    const main = ['ivr: 1', 'id: main', 'vars: { n: 0, s: "" }', 'start: a0', 'nodes:', ...nodes, '  a30:', '    end: {}', ''].join('\n');
    const child = 'ivr: 1\nid: child\nvars: { k: "" }\nnodes:\n  x:\n    return: {}\n';
    const set = await loadFlows([flowDir({ 'main.yaml': main, 'child.yaml': child })]);
    const found = set.flows.get('main')!.diagnostics;
    for (const code of ['undeclared-assignment', 'type-mismatch']) {
      const listed = found.filter((d) => d.code === code);
      assert.equal(listed.length, MAX_SAME_MISTAKES, code);
      const more = listed.map((d) => / \(and (\d+) more `[a-z-]+` findings? in this file\)$/.exec(d.message)?.[1]).filter((n) => n !== undefined);
      assert.deepEqual(more, ['10'], `${code}: one of them counts the other 10`);
      assert.ok(listed.some((d) => d.line <= 5 + 3 * 15) && listed.some((d) => d.line > 5 + 3 * 15), `${code}: from both checks`);
    }
  });
});

