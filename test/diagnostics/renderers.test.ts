import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { closest, didYouMean, editDistance } from '../../src/diagnostics/did-you-mean.js';
import { renderGithub } from '../../src/diagnostics/render-github.js';
import { renderJson } from '../../src/diagnostics/render-json.js';
import { renderText } from '../../src/diagnostics/render-text.js';
import { summaryLine } from '../../src/diagnostics/report.js';

const ERROR: Diagnostic = { code: 'unknown-target', severity: 'error', message: 'node `a`: 100% wrong\nsecond line', file: '/repo/flows/a,b:c.yaml', line: 3, col: 7, endLine: 3, endCol: 12, pointer: '/nodes/a/next' };
const WARNING: Diagnostic = { code: 'unreachable-node', severity: 'warning', message: 'node `z` is never reached', file: '/elsewhere/z.yaml', line: 9, col: 3 };
const REPORT = { flows: 2, diagnostics: [ERROR, WARNING] };

describe('renderers', () => {
  test('text: path:line:col: severity code message, paths relative to cwd when inside it, then the summary; a newline in a message is escaped', () => {
    assert.equal(
      renderText(REPORT, '/repo'),
      'flows/a,b:c.yaml:3:7: error unknown-target node `a`: 100% wrong\\u{a}second line\n/elsewhere/z.yaml:9:3: warning unreachable-node node `z` is never reached\n1 error, 1 warning in 2 flows\n',
    );
  });

  test('github: one workflow command per diagnostic, with data and properties escaped', () => {
    const [first, second, summary] = renderGithub(REPORT, '/repo').trimEnd().split('\n');
    assert.equal(first, '::error file=flows/a%2Cb%3Ac.yaml,line=3,col=7,endLine=3,endColumn=12,title=unknown-target::node `a`: 100%25 wrong%0Asecond line');
    assert.equal(second, '::warning file=/elsewhere/z.yaml,line=9,col=3,title=unreachable-node::node `z` is never reached');
    assert.equal(summary, '1 error, 1 warning in 2 flows');
  });

  test('json: counts and every field of every diagnostic', () => {
    const parsed = JSON.parse(renderJson(REPORT, '/repo')) as { flows: number; errors: number; warnings: number; diagnostics: Diagnostic[] };
    assert.deepEqual([parsed.flows, parsed.errors, parsed.warnings], [2, 1, 1]);
    assert.deepEqual(parsed.diagnostics[0], { ...ERROR, file: 'flows/a,b:c.yaml' });
  });

  test('the summary uses singular and plural', () => {
    assert.equal(summaryLine({ flows: 1, diagnostics: [] }), '0 errors, 0 warnings in 1 flow');
  });
});

describe('did you mean', () => {
  test('suggests the closest name within a third of its length', () => {
    assert.equal(closest('mian_menu', ['main_menu', 'billing', 'operator']), 'main_menu');
    assert.equal(closest('promt', ['prompt', 'reprompt']), 'prompt');
    assert.equal(closest('xyzzy', ['prompt', 'reprompt']), undefined);
  });

  test('counts a swap of two letters as one edit', () => {
    assert.equal(editDistance('prmopt', 'prompt'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });

  test('does not guess for very short names, except for case', () => {
    assert.equal(closest('q', ['n']), undefined);
    assert.equal(closest('ID', ['id']), 'id');
  });

  test('formats the suggestion ready to append, or nothing', () => {
    assert.equal(didYouMean('billng', ['billing']), ' — did you mean `billing`?');
    assert.equal(didYouMean('zzzzzz', ['billing']), '');
  });
});
