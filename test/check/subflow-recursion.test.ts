import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
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
import { reporter } from '../../src/check/check-context.js';
import { checkFlowSet, type SetMember } from '../../src/check/flow-set.js';
import { exprApi } from '../../src/check/expr-api.js';
import { components } from '../../src/check/strongly-connected.js';
import { SEARCHED_CYCLE, subflowCycles } from '../../src/check/subflow-cycles.js';
import type { FlowDoc } from '../../src/flow/types.js';
import { readSource } from '../../src/parse/flow-source.js';
import { varTypes } from '../../src/parse/var-types.js';
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

/** Distance from `from` to `to` along `next` (breadth-first), or undefined. */
function distance(from: string, to: string, next: (id: string) => readonly string[]): number | undefined {
  const seen = new Map([[from, 0]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    if (id === to) return seen.get(id);
    for (const n of next(id)) {
      if (seen.has(n)) continue;
      seen.set(n, seen.get(id)! + 1);
      queue.push(n);
    }
  }
  return undefined;
}

describe('the walks recursive-subflow quotes (subflowCycles)', () => {
  /** A ring of `size` flows with random extra calls across it, and an edge list; `next` counts what it hands out. */
  const ringWith = (size: number, chords: [number, number][]): { edges: [string, string][]; next: (id: string) => string[] } => {
    const edges: [string, string][] = Array.from({ length: size }, (_, i) => [`f${i}`, `f${(i + 1) % size}`]);
    for (const [a, b] of chords) edges.push([`f${a % size}`, `f${b % size}`]);
    const out = new Map<string, string[]>();
    for (const [a, b] of edges) out.set(a, [...(out.get(a) ?? []), b]);
    return { edges, next: (id) => out.get(id) ?? [] };
  };

  for (const [name, sizes] of [['up to SEARCHED_CYCLE flows: the shortest walk, whole', fc.integer({ min: 2, max: SEARCHED_CYCLE })], ['above: real calls up to the …, then the caller', fc.integer({ min: SEARCHED_CYCLE + 1, max: 150 })]] as const) {
    test(`a cycle of ${name}, on random rings with extra calls`, () => {
      fc.assert(fc.property(sizes, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }), (size, chords) => {
        const { edges, next } = ringWith(size, chords);
        const cycles = subflowCycles(['f0'], next);
        for (const [from, child] of edges) {
          assert.ok(cycles.onCycle(from, child));
          if (from === child) continue;
          const walk = cycles.walk(from, child);
          assert.deepEqual(walk.slice(0, 2), [from, child]);
          assert.equal(walk.at(-1), from);
          for (let i = 1; i < walk.length; i++) if (walk[i] !== '…' && walk[i - 1] !== '…') assert.ok(next(walk[i - 1]!).includes(walk[i]!), `${walk.join(' ')}: ${walk[i - 1]} does not call ${walk[i]}`);
          if (size <= SEARCHED_CYCLE) {
            assert.ok(!walk.includes('…'));
            assert.equal(walk.length, 2 + distance(child, from, next)!, `${walk.join(' ')} is not a shortest walk`);
          } else assert.ok(walk.length <= 6);
        }
      }), { numRuns: 30 });
    });
  }

  test('linear in the calls: 5 000 calls between two flows, and 5 000 separate cycles', () => {
    let handed = 0;
    const counting = (out: Map<string, string[]>) => (id: string): string[] => {
      const list = out.get(id) ?? [];
      handed += list.length;
      return list;
    };
    // p calls q from 5 000 nodes, q calls p back: one search per calling flow, not one per call.
    const pair = new Map([['p', Array<string>(5000).fill('q')], ['q', ['p']]]);
    const cycles = subflowCycles(pair.keys(), counting(pair));
    for (let i = 0; i < 5000; i++) assert.deepEqual(cycles.walk('p', 'q'), ['p', 'q', 'p']);
    assert.deepEqual(cycles.walk('q', 'p'), ['q', 'p', 'q']);
    assert.ok(handed <= 4 * 5001, `${handed} calls looked at for 5 001`);
    // 5 000 pairs a<i> <-> b<i>: each cycle's flows grouped once, not the whole set per cycle.
    handed = 0;
    const pairs = new Map<string, string[]>();
    for (let i = 0; i < 5000; i++) {
      pairs.set(`a${i}`, [`b${i}`]);
      pairs.set(`b${i}`, [`a${i}`]);
    }
    const many = subflowCycles(pairs.keys(), counting(pairs));
    for (let i = 0; i < 5000; i++) assert.deepEqual(many.walk(`a${i}`, `b${i}`), [`a${i}`, `b${i}`, `a${i}`]);
    assert.ok(handed <= 4 * 10_000, `${handed} calls looked at for 10 000`);
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

describe('a ring of 5 000 flows called from outside, checked in process', () => {
  test('each call of the ring is recursive-subflow, and the global-key walk from outside does not go around it', async () => {
    // The walk followed every call, so an outside caller with a global key recursed once per flow of
    // the ring: ivr validate ended with a RangeError from about 2 500 files, the reload worker from 2 100.
    const expr = await exprApi();
    const member = (id: string, text: string): SetMember & { diagnostics: Diagnostic[] } => {
      const source = readSource(`${id}.yaml`, text);
      const doc = source.data as FlowDoc;
      return { id, source, doc, varTypes: varTypes(source, doc), ...findings(source) };
    };
    const members = Array.from({ length: 5000 }, (_, i) => member(`r${i}`, caller([`r${(i + 1) % 5000}`])));
    members.push(member('outside', 'ivr: 1\nglobal: { "0": z }\nnodes:\n  s: { subflow: { flow: r0 }, next: z }\n  z: { end: {} }\n'));
    checkFlowSet(members, new Set(members.map((m) => m.id)), expr);
    const found = members.flatMap((m) => m.diagnostics.map((d) => d.code));
    assert.equal(found.length, 5000);
    assert.ok(found.every((code) => code === 'recursive-subflow'));
  });
});

/** A member's reporter, and the findings it collects (in a load they are the flow's `diagnostics`). */
function findings(source: Parameters<typeof reporter>[0]): { diagnostics: Diagnostic[]; report: ReturnType<typeof reporter> } {
  const diagnostics: Diagnostic[] = [];
  return { diagnostics, report: reporter(source, diagnostics) };
}
