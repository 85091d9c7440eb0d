/**
 * Issue 10: "Node names with a newline inject lines such as `::error file=…` into validate's text
 * output and graph". Every text output keeps one record per line whatever a name holds.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { drawFlows } from '../../src/cli/graph.js';
import { validatePaths } from '../../src/cli/validate.js';
import { renderGithub } from '../../src/diagnostics/render-github.js';
import { renderText } from '../../src/diagnostics/render-text.js';
import { runTests } from '../../src/testing/run-tests.js';
import { renderText as renderTestText } from '../../src/testing/render-results.js';
import { printable } from '../../src/diagnostics/printable.js';
import { cutText, escapeControl, shortened } from '../../src/diagnostics/escape-control.js';
import { HELLO_WAV, flowDir } from '../check/flow-dir.js';

const EVIL = 'start\n::error file=flows/a.yaml,line=1::forged\r\x1b[2J\u2028x';
const EVIL_YAML = JSON.stringify(EVIL);
/** EVIL as a node name: the same characters without the `/`, which a node name may not hold (node-name-clash). */
const EVIL_NODE_YAML = JSON.stringify(EVIL.replace('flows/a.yaml', 'a.yaml'));

/** No line of `out` may begin a GitHub workflow command or hold a raw control character, except the ones expected. */
function assertNoInjectedLines(out: string, allowedCommands = 0): void {
  const commands = out.split('\n').filter((l) => l.startsWith('::'));
  assert.equal(commands.length, allowedCommands, out);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(out.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/, 'a raw control character was printed');
}

describe('control characters and newlines in text output', () => {
  test('printable writes control characters as escapes and leaves other text alone', () => {
    assert.equal(printable('a\nb\r\t\x1b\x7f\u0085\u2028\u202e'), 'a\\u{a}b\\u{d}\\u{9}\\u{1b}\\u{7f}\\u{85}\\u{2028}\\u{202e}');
    assert.equal(printable('menu — ünïcode ✓'), 'menu — ünïcode ✓');
  });

  test('log fields escape the same characters, bidi controls included, in JSON\'s form', () => {
    assert.equal(escapeControl('a\nb\r\t\x1b\x7f\u0085\u2028\u202e\u2066\u200f'), 'a\\nb\\r\\t\\u001b\\u007f\\u0085\\u2028\\u202e\\u2066\\u200f');
    assert.equal(escapeControl('menu — ünïcode ✓'), 'menu — ünïcode ✓');
  });

  test('validate text and github: a node name with a newline stays inside its diagnostic line', async () => {
    const dir = flowDir({ 'evil.yaml': `ivr: 1\nnodes:\n  ${EVIL_NODE_YAML}:\n    play: hello\n    next: "gone\\n::warning::x"\n`, 'prompts/hello.wav': HELLO_WAV });
    const report = await validatePaths([dir]);
    assert.deepEqual(report.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['unknown-target 5:11']);
    const text = renderText(report, dir);
    assertNoInjectedLines(text);
    assert.equal(text.split('\n').length, 3, text); // the diagnostic, the summary, the final newline
    assert.match(text, /^evil\.yaml:5:11: error unknown-target node `start\\u\{a\}::error file=a\.yaml,line=1::forged\\u\{d\}\\u\{1b\}\[2J\\u\{2028\}x`/);
    const github = renderGithub(report, dir);
    assertNoInjectedLines(github, 1);
    assert.match(github, /^::error file=evil\.yaml,line=5,col=11,.*title=unknown-target::node `start%0A::error/m);
  });

  test('a file name with a newline cannot forge a line either', async () => {
    const dir = flowDir({ 'bad\n::error::x.yaml': 'ivr: 1\nnodes:\n  a:\n    end: {}\n    next: b\n' });
    const report = await validatePaths([dir]);
    assert.ok(report.diagnostics.length > 0);
    assertNoInjectedLines(renderText(report, dir));
    assertNoInjectedLines(renderGithub(report, dir), report.diagnostics.length);
  });

  test('graph mermaid and dot: a node name with a newline is one escaped label', async () => {
    const dir = flowDir({ 'evil.yaml': `ivr: 1\nnodes:\n  ${EVIL_NODE_YAML}:\n    play: hello\n    next: bye\n  bye:\n    end: {}\n`, 'prompts/hello.wav': HELLO_WAV });
    for (const format of ['mermaid', 'dot'] as const) {
      const { drawn, diagnostics } = await drawFlows([join(dir, 'evil.yaml')], format);
      assert.deepEqual(diagnostics, []);
      const out = drawn.map((d) => d.text).join('');
      assertNoInjectedLines(out);
      assert.ok(out.includes('start\\\\u{a}::error') || out.includes('start\\u{a}::error'), out);
      assert.ok(!out.includes('\n::error'), out);
    }
  });

  test('ivr test text: a case name and a failure with newlines stay on their lines', async () => {
    const flow = 'ivr: 1\nnodes:\n  a:\n    play: hello\n    next: bye\n  bye:\n    end: {}\n';
    const tests = `flow: evil\ncases:\n  - name: ${EVIL_YAML}\n    steps:\n      - expect: { play: ["nope\\n::error::y"] }\n`;
    const dir = flowDir({ 'evil.yaml': flow, 'evil.test.yaml': tests, 'prompts/hello.wav': HELLO_WAV });
    const result = await runTests([dir]);
    assert.equal(result.failed, 1);
    const out = renderTestText(result, dir);
    assertNoInjectedLines(out);
    assert.match(out, /FAIL start\\u\{a\}::error file=flows\/a\.yaml/);
    assert.match(out, /expected: \["nope\\n::error::y"\]/); // JSON-quoted already
  });
});

describe('cutting long text from outside', () => {
  test('cutText and shortened never split a surrogate pair; short text is kept whole', () => {
    const text = `a${'😀'.repeat(100)}`; // the 80th unit is the first half of an emoji
    assert.equal(shortened(text, 81), `a${'😀'.repeat(39)}…`);
    assert.equal(cutText(text, 80), `a${'😀'.repeat(39)}…(+122 chars)`);
    assert.equal(shortened('menu', 81), 'menu');
    assert.equal(cutText('menu', 80), 'menu');
    for (const cut of [shortened(text, 81), cutText(text, 80)]) assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(cut), 'no lone high surrogate');
  });
});
