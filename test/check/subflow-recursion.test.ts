/**
 * recursive-subflow (check/flow-set.ts) and the component finder it rests on
 * (check/strongly-connected.ts): a call is recursive exactly when its child leads back to its
 * caller, found in linear time, and each message quotes a bounded path, so a ring of thousands of
 * files is one short error per file (it was one path of the whole ring per file: 46 MB of output
 * for 2 000 files, and a search per call; the test's 500 files quoted whole would be lines of ~5 000 characters).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { components } from '../../src/check/strongly-connected.js';
import { runCli } from '../support/run-cli.js';
import { allDiagnostics, flowDir, loadSet } from './flow-dir.js';

/** Whether `to` can be reached from `from` in one step or more (the rule, searched plainly). */
function reaches(from: string, to: string, next: (id: string) => readonly string[]): boolean {
  const seen = new Set<string>();
  const queue = [...next(from)];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...next(id));
  }
  return false;
}

/** A flow whose node `s<i>` calls each of `children` in turn. */
function caller(children: readonly string[]): string {
  const nodes = children.map((child, i) => `  s${i}: { subflow: { flow: ${child} }, next: ${i + 1 < children.length ? `s${i + 1}` : 'done'} }\n`);
  return `ivr: 1\nnodes:\n${nodes.join('')}  done: { return: {} }\n`;
}

describe('strongly connected components', () => {
  test('two flows share a component exactly when each reaches the other, on random graphs', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    fc.assert(fc.property(fc.array(fc.tuple(id, id), { maxLength: 14 }), (pairs) => {
      const edges = new Map<string, string[]>();
      for (const [from, to] of pairs) edges.set(from, [...(edges.get(from) ?? []), to]);
      const next = (n: string): string[] => edges.get(n) ?? [];
      const found = components(edges.keys(), next);
      for (const x of found.keys()) {
        for (const y of found.keys()) {
          const together = x === y || (reaches(x, y, next) && reaches(y, x, next));
          assert.equal(found.get(x) === found.get(y), together, `${x} ${y} in ${JSON.stringify(pairs)}`);
        }
      }
    }));
  });

  test('a chain of 100 000 without recursion', () => {
    const next = (n: string): string[] => (Number(n) < 100_000 ? [String(Number(n) + 1)] : []);
    const found = components(['0'], next);
    assert.equal(found.size, 100_001);
    assert.equal(new Set(found.values()).size, 100_001);
    const ring = components(['0'], (n) => [String((Number(n) + 1) % 100_000)]);
    assert.deepEqual(new Set(ring.values()), new Set([0]));
  });
});

describe('recursive-subflow', () => {
  test('reported on exactly the calls whose child leads back to the caller, with a path that does, on random sets', async () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(id, id), { minLength: 1, maxLength: 9 }), async (pairs) => {
      const edges = new Map<string, string[]>();
      for (const [from, to] of pairs) edges.set(from, [...(edges.get(from) ?? []), to]);
      const files = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((f) => [`${f}.yaml`, caller(edges.get(f) ?? [])]));
      const set = await loadSet(files, ['.']);
      const next = (n: string): string[] => edges.get(n) ?? [];
      const expected = [...edges].flatMap(([from, children]) => children.flatMap((child, i) => (child === from || reaches(child, from, next) ? [`${from} s${i}`] : [])));
      const found = allDiagnostics(set).filter((d) => d.code === 'recursive-subflow');
      assert.deepEqual(found.map((d) => `${d.file.split('/').pop()!.replace('.yaml', '')} ${/node `(\w+)`/.exec(d.message)![1]}`).sort(), expected.sort());
      for (const d of found) {
        const quoted = /\((.*)\); subflows cannot recurse$/.exec(d.message)?.[1];
        if (quoted === undefined) continue; // a flow calling itself
        const ids = quoted.split(' → ').map((q) => q.replaceAll('`', ''));
        assert.ok(ids.every((x, i) => i === 0 || next(ids[i - 1]!).includes(x)), `${d.message} is not a path of ${JSON.stringify(pairs)}`);
        assert.equal(ids[0], ids.at(-1));
      }
    }), { numRuns: 40 });
  });

  test('a ring of 500 files: one short error per file, each quoting a few flows of the ring', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 500; i++) files[`r${i}.yaml`] = caller([`r${(i + 1) % 500}`]);
    const r = await runCli(['validate', flowDir(files)]);
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.at(-1), '500 errors, 0 warnings in 500 flows');
    assert.ok(lines.every((l) => l.length < 300), `longest line: ${Math.max(...lines.map((l) => l.length))} characters`);
    assert.match(r.stdout, /\/r7\.yaml:3:26: error recursive-subflow node `s0`: subflow `r8` leads back to `r7` \(`r7` → `r8` → `r9` → `r10` → … → `r7`\); subflows cannot recurse\n/);
  });
});
