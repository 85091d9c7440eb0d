/**
 * YAML mistakes come out in the author's words: one diagnostic per mistake, at the line and
 * column of the mistake (not where the parser noticed), saying what to change.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlow } from '../../src/parse/parse-flow.js';
import { MAX_SAME_MISTAKES } from '../../src/parse/yaml-mistakes.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir.js';

function mistakes(text: string): string[] {
  return parseFlow('/flows/f.yaml', text).diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);
}

const HEAD = 'ivr: 1\nid: f\nnodes:\n';

describe('YAML mistakes, one diagnostic each, with the fix', () => {
  test('a key indented under the value above it (v1: "Nested mappings are not allowed in compact mappings" + 1 more)', () => {
    assert.deepEqual(mistakes(`${HEAD}  start:\n    play: hi\n      next: a\n  a:\n    end: {}\n`), [
      '6:7 yaml-syntax `next:` is indented further than `play:` on the line above, so YAML reads it as part of that value: indent `next:` to column 5, the same column as `play:`',
    ]);
  });

  test('an under-indented node is blamed at its own line, not the blank line above it', () => {
    assert.deepEqual(mistakes(`${HEAD}  start:\n    play: hi\n    next: a\n\n a:\n    end: {}\n`), [
      '8:2 yaml-syntax `a:` starts at column 2, but `start:` and the other keys of its map start at column 3: indent `a:` to column 3',
    ]);
  });

  test('a tab is one diagnostic for its line, not a cascade', () => {
    assert.deepEqual(mistakes(`${HEAD}  start:\n\tplay: hi\n    next: a\n  a:\n    end: {}\n`), [
      '5:1 yaml-syntax line 5 is indented with a tab; YAML indents with spaces only: replace the tab with spaces',
    ]);
  });

  test('two tab-indented lines are two mistakes', () => {
    assert.deepEqual(mistakes(`${HEAD}  start:\n\tplay: hi\n\tnext: a\n  a:\n    end: {}\n`).map((m) => m.split(' ')[0]), ['5:1', '6:1']);
  });

  test('a file of tab-indented lines gives at most MAX_SAME_MISTAKES diagnostics, the last counting the rest', () => {
    const found = mistakes(`${HEAD}  start:\n${Array.from({ length: MAX_SAME_MISTAKES + 980 }, (_, i) => `\tk${i}: hi\n`).join('')}`);
    assert.equal(found.length, MAX_SAME_MISTAKES);
    assert.match(found.at(-1)!, /replace the tab with spaces \(and 980 more tab-indented lines below it\)$/);
  });

  test('an unclosed quote is blamed where it opened', () => {
    assert.deepEqual(mistakes(`${HEAD}  start:\n    play: "hi\n    next: a\n  a:\n    end: {}\n`), [
      '5:11 yaml-syntax the `"` opened here is never closed: end the string with `"`',
    ]);
  });

  test('an unclosed bracket is blamed where it opened', () => {
    assert.deepEqual(mistakes(`${HEAD}  start:\n    play: [hi, there\n    next: a\n  a:\n    end: {}\n`), [
      '5:11 yaml-syntax the `[` opened here is never closed: end the list with `]`',
    ]);
    assert.deepEqual(mistakes(`${HEAD}  a:\n    end: { reason: x\n`), ['5:10 yaml-syntax the `{` opened here is never closed: end the map with `}`']);
  });

  test('a key without its colon', () => {
    assert.deepEqual(mistakes(`${HEAD}  start:\n    play hi\n    next: a\n  a:\n    end: {}\n`), [
      '5:5 yaml-syntax `play hi` is a key without a value: a key needs a colon and a space after it; write `play: hi`',
    ]);
  });

  test('a multi-line quoted string is still fine YAML', () => {
    assert.deepEqual(mistakes(`${HEAD}  start:\n    play: hi\n    next: a\n  a:\n    end: { reason: "two\n      lines" }\n`), []);
  });
});

describe('schema messages quote the value as written', () => {
  test('max: "6" says the quotes are the mistake', async () => {
    const dir = tempDir('ivr-quoted-');
    writeFileSync(join(dir, 'f.yaml'), `${HEAD}  start:\n    collect: { prompt: hi, into: x, max: "6" }\n    next: a\n  a:\n    end: {}\nvars: { x: "" }\n`);
    const set = await loadFlows([dir]);
    const messages = [...set.flows.values()].flatMap((f) => f.diagnostics).map((d) => `${d.line}:${d.col} ${d.message}`);
    assert.ok(messages.includes('5:42 node `start`: `collect.max` must be an integer; got `"6"`, which the quotes make a string: write it without quotes'), messages.join('\n'));
  });
});
