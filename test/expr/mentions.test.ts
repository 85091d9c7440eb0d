/**
 * dependentNames: which variables follow from others through assignments (a sensitive collect's
 * value, ivr test's start variants). A flow file is outside input: the work must follow its size.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dependentNames, mentions, type AssignedFrom } from '../../src/expr/mentions.js';

/** The rule as written: add every variable assigned from an expression that mentions a name, until nothing is added. */
function fixpoint(seeds: string[], assignments: readonly AssignedFrom[]): Set<string> {
  const names = new Set(seeds);
  if (names.size === 0) return names;
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of assignments) {
      if (!names.has(a.assigns) && mentions(a.text, names)) {
        names.add(a.assigns);
        grew = true;
      }
    }
  }
  return names;
}

test('the same names as the rule read as a fixpoint, for any assignments', () => {
  const name = fc.constantFrom('a', 'b', 'c', 'd', 'pin', 'last', 'x');
  const text = fc.array(fc.oneof(name, fc.constantFrom(' + ', '.size()', "'pin'", ' "a" ', '1')), { maxLength: 5 }).map((bits) => bits.join(''));
  fc.assert(fc.property(fc.array(name, { maxLength: 3 }), fc.array(fc.record({ assigns: name, text }), { maxLength: 12 }), (seeds, assignments) => {
    assert.deepEqual([...dependentNames(seeds, assignments)].sort(), [...fixpoint(seeds, assignments)].sort());
  }));
});

test('each assignment is read once, however the chain is ordered (a file of chained sets costs its size, not its square)', () => {
  // v4000 <- v3999 <- ... <- v0, listed from the far end: a fixpoint adds one name per pass over all of them.
  let reads = 0;
  const assignments: AssignedFrom[] = [];
  for (let i = 4000; i >= 1; i--) {
    const text = `v${i - 1} + 1`;
    assignments.push({ assigns: `v${i}`, get text() { reads++; return text; } });
  }
  const names = dependentNames(['v0'], assignments);
  assert.equal(names.size, 4001);
  assert.ok(reads <= assignments.length, `${reads} reads of ${assignments.length} expressions`);
});
