import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from './harness.js';
import { CHILD, GRANDCHILD, PARENT } from './nested-subflows.js';

describe("a calling flow's global keys inside a subflow", () => {
  test('stay active in the child: the key leaves the subflow at once, output unassigned, parent set applied', () => {
    const call = Call.of(PARENT, { others: [CHILD, GRANDCHILD] });
    assert.deepEqual(call.log(), ['node:verify', 'node:dob/ask', 'play:enter_dob']);
    call.played().press('*');
    assert.deepEqual(call.log(), ['input:match:*', 'node:menu', 'play:main_menu']);
    assert.deepEqual(call.vars, { dob: '', via: 'star' }, "the parent's variables, with its set; dob (output) not assigned");
    assert.equal(call.last('node')?.flow, 'main');
  });

  test("the child's own global key wins for the same key", () => {
    const call = Call.of(PARENT, { others: [CHILD, GRANDCHILD] });
    call.played().take();
    call.press('0');
    assert.deepEqual(call.log(), ['input:match:0', 'node:dob/help', 'play:dob_help']);
    assert.equal(call.last('node')?.flow, 'dob');
  });

  test('work at any depth, leaving every subflow in between', () => {
    const call = Call.of(PARENT, { others: [CHILD, GRANDCHILD] });
    call.played().press('12251990').take();
    call.played();
    assert.equal(call.last('node')?.flow, 'confirm');
    call.press('*');
    assert.deepEqual(call.log(), ['input:match:*', 'node:menu', 'play:main_menu']);
    assert.deepEqual(call.vars, { dob: '', via: 'star' });
    // The stack is empty again: a later return-less path behaves as a top-level flow.
    assert.deepEqual((call.actor.getSnapshot().context as { stack: unknown[] }).stack, []);
    // In the grandchild the nearer flow's "0" (the child's help) wins over the parent's operator.
    call.played().press('1').played().press('0');
    assert.equal(call.lastNode(), 'dob/help');
  });

  test('are off inside a subflow node that says global: false', () => {
    const call = Call.of(PARENT.replace('output: { dob: "dob" } }', 'output: { dob: "dob" }, global: false }'), { others: [CHILD, GRANDCHILD] });
    call.played().take();
    call.press('*');
    assert.deepEqual(call.log(), []);
    call.wait(3000); // the inter-digit timeout: "*" alone is too short an entry
    assert.deepEqual(call.log(), ['input:noMatch:*', 'play:enter_dob']);
  });

  test('a menu or collect with global: false in the child takes none of them', () => {
    const call = Call.of(PARENT, { others: [CHILD.replace('min: 8, max: 8 }', 'min: 8, max: 8, global: false }'), GRANDCHILD] });
    call.played().press('*').take();
    call.wait(3000);
    assert.deepEqual(call.log(), ['input:noMatch:*', 'play:enter_dob']);
  });
});
