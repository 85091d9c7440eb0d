import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
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

  test('with a bound, the same distance up to it and bound + 1 beyond, on random names', () => {
    // The full table, as the distance was computed before it could stop early.
    const full = (a: string, b: string): number => {
      const rows: number[][] = [];
      for (let i = 0; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
          if (i === 0) {
            row.push(j);
            continue;
          }
          let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
          row.push(d);
        }
        rows.push(row);
      }
      return rows[a.length]![b.length]!;
    };
    const name = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_'), maxLength: 9 });
    fc.assert(fc.property(name, name, fc.nat({ max: 10 }), (a, b, max) => {
      assert.equal(editDistance(a, b), full(a, b));
      assert.equal(editDistance(a, b, max), Math.min(full(a, b), max + 1));
    }), { numRuns: 2000 });
  });

  test('a suggestion stops looking after a bounded amount of work: thousands of long names cost each misspelt reference the same', () => {
    // 31-character names alike but for their last 9 characters (too far to suggest, too near to stop early).
    const decoys = Array.from({ length: 5000 }, (_, i) => `node_with_a_long_name_${String(i).padStart(9, '0')}`);
    const wanted = 'node_with_a_long_name_target_01';
    assert.equal(closest('node_with_a_long_name_targte_01', [wanted, ...decoys]), wanted);
    assert.equal(closest('node_with_a_long_name_targte_01', [...decoys.slice(0, 40), wanted]), wanted);
    // Behind 5 000 others it is not reached: the search settles for the best of what it read.
    assert.notEqual(closest('node_with_a_long_name_targte_01', [...decoys, wanted]), wanted);
    // Names far from the misspelt one stop after a few rows: 400 of them leave the budget for the right one.
    const far = Array.from({ length: 400 }, (_, i) => `zzzz_${String(i).padStart(26, 'q')}`);
    assert.equal(closest('node_with_a_long_name_targte_01', [...far, wanted]), wanted);
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
