import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTestFile } from '../../src/testing/load-tests.js';

const FILE = '/flows/support.test.yaml';

describe('loading flow test files', () => {
  test('reads cases and steps with their lines, the flow defaulting to the file name', () => {
    const { value, diagnostics } = parseTestFile(
      FILE,
      ['cases:', '  - name: billing', '    steps:', '      - expect: { play: [welcome] }', '      - played', '      - press: "1"', '      - wait: 16s', '      - fetchFails: 503', '      - hangup', ''].join('\n'),
    );
    assert.deepEqual(diagnostics, []);
    assert.equal(value?.flow, 'support');
    const c = value!.cases[0]!;
    assert.equal(c.line, 2);
    assert.equal(c.format, 'audio/x-mulaw;rate=8000');
    assert.deepEqual(
      c.steps.map((s) => [s.index, s.line, s.step]),
      [
        [1, 4, { kind: 'expect', expect: { play: ['welcome'] } }],
        [2, 5, { kind: 'played' }],
        [3, 6, { kind: 'press', keys: '1' }],
        [4, 7, { kind: 'wait', ms: 16_000, text: '16s' }],
        [5, 8, { kind: 'fetchFails', failure: 503 }],
        [6, 9, { kind: 'hangup' }],
      ],
    );
  });

  test('an unknown key is reported at the key, with file, line and column', () => {
    const { value, diagnostics } = parseTestFile(FILE, ['flow: support', 'cases:', '  - name: x', '    stpes: []', ''].join('\n'));
    assert.equal(value, undefined);
    const unknown = diagnostics.find((d) => d.message.includes("'stpes'"));
    assert.deepEqual(
      unknown && { code: unknown.code, line: unknown.line, col: unknown.col, file: unknown.file, message: unknown.message },
      { code: 'test-schema', line: 4, col: 5, file: FILE, message: "unknown key 'stpes' in cases[1]" },
    );
  });

  test('a key that is not DTMF in press is reported at its value', () => {
    const { diagnostics } = parseTestFile(FILE, ['cases:', '  - name: x', '    steps:', '      - press: "1x"', ''].join('\n'));
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'test-schema');
    assert.match(diagnostics[0]!.message, /^cases\[1\]\.steps\[1\]\.press does not look right/);
    assert.deepEqual([diagnostics[0]!.line, diagnostics[0]!.col], [4, 16]);
  });

  test('a misspelled step is one message, not one per form a step may take', () => {
    const { diagnostics } = parseTestFile(FILE, ['cases:', '  - name: x', '    steps:', '      - pres: "1"', ''].join('\n'));
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]!.message, "unknown key 'pres' in cases[1].steps[1]");
    assert.deepEqual([diagnostics[0]!.line, diagnostics[0]!.col], [4, 9]);
  });

  test("a test file's YAML is read by the flows' rules: a key given twice, a tab, too deep are explained as for a flow", () => {
    const twice = parseTestFile(FILE, ['flow: a', 'flow: b', 'cases: []', ''].join('\n'));
    assert.deepEqual(twice.diagnostics.map((d) => [d.code, d.line, d.col, d.message]),
      [['test-yaml-syntax', 2, 1, 'key `flow` appears twice in the same map; the second would silently replace the first']]);
    const tab = parseTestFile(FILE, ['cases:', '\t- name: x', ''].join('\n'));
    assert.match(tab.diagnostics[0]!.message, /^line 2 is indented with a tab; YAML indents with spaces only/);
    const deep = parseTestFile(FILE, `cases: ${'['.repeat(100)}${']'.repeat(100)}\n`);
    assert.match(deep.diagnostics[0]!.message, /^maps and lists are nested more than 64 levels deep here, the most a file in the flows folder may nest/);
  });

  test('YAML syntax errors are diagnostics with a position', () => {
    const { value, diagnostics } = parseTestFile(FILE, ['cases:', '  - name: [x', ''].join('\n'));
    assert.equal(value, undefined);
    assert.equal(diagnostics[0]?.code, 'test-yaml-syntax');
    assert.ok((diagnostics[0]?.line ?? 0) >= 2);
  });
});
