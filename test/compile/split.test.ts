import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createActor } from 'xstate';
import { compileFlow } from '../../src/compile/compile-flow.js';
import { fnv1a32, splitBucket, splitCase } from '../../src/compile/split-bucket.js';
import { SimClock } from '../../src/testing/sim-clock.js';
import { flowSet, loadedFlow } from './harness.js';

const FLOW = `
ivr: 1
nodes:
  try_new_menu:
    split:
      - { percent: 10, goto: new_menu }
      - { percent: 25, goto: other_menu }
      - { goto: main_menu }
  new_menu: { end: { prompt: new_menu } }
  other_menu: { end: { prompt: other_menu } }
  main_menu: { end: { prompt: main_menu } }
`;

/** The node a call with this id reaches from the split. */
function routeOf(yaml: string, callId: string): string | undefined {
  const flow = loadedFlow(yaml);
  const clock = new SimClock();
  const actor = createActor(compileFlow(flow, flowSet(flow)).machine, {
    input: { call: { callId, streamId: 's', accountId: 'a', headers: {} } }, clock,
  });
  const nodes: string[] = [];
  actor.on('commands', (batch) => { for (const cmd of batch.commands) if (cmd.type === 'node') nodes.push(cmd.node); });
  actor.start();
  return nodes[1];
}

describe('split', () => {
  test('the bucket is FNV-1a 32-bit of the UTF-8 callId, modulo 100', () => {
    // Reference values of FNV-1a 32 (the FNV test suite): "" and "a" and "foobar".
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
    assert.equal(splitBucket('foobar'), 0xbf9cf968 % 100);
    // UTF-8 bytes, not UTF-16 code units: "é" is two bytes.
    assert.equal(fnv1a32('é'), Math.imul(Math.imul(0x811c9dc5 ^ 0xc3, 0x01000193) >>> 0 ^ 0xa9, 0x01000193) >>> 0);
  });

  test('a bucket takes the first case whose running sum is greater than it', () => {
    const percents = [10, 25, undefined];
    assert.deepEqual([0, 9, 10, 34, 35, 99].map((b) => splitCase(percents, b)), [0, 0, 1, 1, 2, 2]);
    assert.equal(splitCase([50, 50], 99), 1);
    assert.equal(splitCase([50], 50), -1);
  });

  test('a call goes where its bucket says, and the same call id always the same way', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `CA${i}`);
    const expected = (id: string) => ['new_menu', 'other_menu', 'main_menu'][splitCase([10, 25, undefined], splitBucket(id))];
    const reached = new Set<string>();
    for (const id of ids.slice(0, 60)) {
      const node = routeOf(FLOW, id);
      assert.equal(node, expected(id), id);
      assert.equal(routeOf(FLOW, id), node);
      reached.add(node!);
    }
    assert.deepEqual([...reached].sort(), ['main_menu', 'new_menu', 'other_menu']);
    // Roughly the percentages over many ids.
    const counts = { new_menu: 0, other_menu: 0, main_menu: 0 } as Record<string, number>;
    for (let i = 0; i < 10_000; i++) counts[expected(`call-${i}`)!]! += 1;
    assert.ok(counts.new_menu! > 800 && counts.new_menu! < 1200, JSON.stringify(counts));
    assert.ok(counts.other_menu! > 2200 && counts.other_menu! < 2800, JSON.stringify(counts));
  });

  test('a bucket that falls in no case (a flow validate rejects) goes to onError', () => {
    const yaml = `
ivr: 1
onError: sorry
nodes:
  s:
    split: [{ percent: 1, goto: a }]
  a: { end: { prompt: a } }
  sorry: { end: { prompt: sorry, reason: error } }
`;
    const id = Array.from({ length: 100 }, (_, i) => `x${i}`).find((x) => splitBucket(x) >= 1)!;
    assert.equal(routeOf(yaml, id), 'sorry');
  });
});
