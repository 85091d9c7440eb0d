/** CoverageTally: items marked trace by trace, and coverage() a snapshot of them. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { FlowDoc } from '../../src/flow/types.js';
import { CoverageTally } from '../../src/testing/coverage.js';

const doc = parse(`ivr: 1
nodes:
  greet: { play: hello, next: bye }
  bye: { end: {} }
`) as FlowDoc;

describe('CoverageTally', () => {
  test('coverage() is a snapshot: a later add() changes neither its items nor their count', () => {
    const tally = new CoverageTally('f', doc);
    tally.add([{ type: 'node', flow: 'f', node: 'greet' }]);
    const before = tally.coverage('f.yaml');
    assert.deepEqual(before.items.map((i) => [i.id, i.reached]), [['node:greet', true], ['node:bye', false]]);
    assert.equal(before.reached, 1);
    tally.add([{ type: 'node', flow: 'f', node: 'bye' }]);
    assert.deepEqual(before.items.map((i) => [i.id, i.reached]), [['node:greet', true], ['node:bye', false]]);
    assert.equal(before.items.filter((i) => i.reached).length, before.reached);
    const after = tally.coverage('f.yaml');
    assert.deepEqual([after.reached, after.total, after.percent], [2, 2, 100]);
  });
});
