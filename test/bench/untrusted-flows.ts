/**
 * Hostile flow files through the front end (issue 10): the duplicate-key check at 10k-40k keys
 * (linear: CPU time per key flat), a 3,000-deep nesting refused before composing, a 5,000-node
 * set/branch chain and busy loop checked without recursion, a menu of up to 30,000 options (linear),
 * and files of thousands of schema mistakes (wrong nodes, wrong options, wrong variables: linear,
 * twenty messages of a code listed). CPU time is printed beside wall time:
 * on a shared machine the CPU time is the stable one.
 *
 *   node dist/test/bench/untrusted-flows.js
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadFlows } from '../../src/pipeline/load-flows.js';

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function time(name: string, text: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-bench-untrusted-'));
  writeFileSync(join(dir, 'f.yaml'), text);
  const c0 = cpuNow();
  const t0 = performance.now();
  const set = await loadFlows([dir]);
  const wall = performance.now() - t0;
  const cpu = cpuNow() - c0;
  const codes = [...set.diagnostics, ...[...set.flows.values()].flatMap((f) => f.diagnostics)].map((d) => `${d.code} ${d.line}:${d.col}`);
  console.log(`${name.padEnd(34)} ${(text.length / 1024).toFixed(0).padStart(5)} KiB  wall ${wall.toFixed(0).padStart(5)} ms  cpu ${cpu.toFixed(0).padStart(5)} ms  ${codes.slice(0, 2).join(', ') || 'no diagnostics'}`);
  rmSync(dir, { recursive: true, force: true });
}

const keys = (n: number): string => `ivr: 1\nnodes:\n  b:\n    end: {}\nvars:\n${Array.from({ length: n }, (_, i) => `  k${i}: ${i}`).join('\n')}\n  k1: again\n`;
const chain = (n: number, loop: boolean): string => {
  const lines = ['ivr: 1', 'vars: { n: 0 }', 'nodes:'];
  for (let i = 0; i < n; i++) {
    const next = i === n - 1 ? (loop ? 's0' : 'bye') : `s${i + 1}`;
    if (i % 2 === 0) lines.push(`  s${i}:`, '    set: { n: "n + 1" }', `    next: ${next}`);
    else lines.push(`  s${i}:`, `    branch: [{ if: "n > 100000", goto: bye }, { goto: ${next} }]`);
  }
  lines.push('  bye:', '    end: {}');
  return `${lines.join('\n')}\n`;
};

await time('warm-up', keys(100));
for (const n of [10_000, 20_000, 40_000]) await time(`${n} keys, one duplicate`, keys(n));
await time('3,000-deep flow list', `ivr: 1\nnodes:\n  b:\n    end: {}\nvars:\n  x: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
await time('5,000-node set/branch chain', chain(5000, false));
await time('5,000-node busy loop', chain(5000, true));
// Options that start one another (n and n0): linear in the options, 20 findings listed.
const wide = (n: number): string => ['ivr: 1', 'nodes:', '  m:', '    menu:', '      prompt: digit-1', '      options:',
  ...Array.from({ length: n }, (_, i) => `        "${i}": done`), '  done:', '    end: {}', ''].join('\n');
for (const n of [7_500, 15_000, 30_000]) await time(`menu of ${n} options`, wide(n));
// Schema mistakes by the thousand: each wrong node, option and variable costs the same at 20 000 as at 5 000.
const wrongNodes = (n: number): string => ['ivr: 1', 'nodes:', ...Array.from({ length: n }, (_, i) => `  n${i}: { play: { bad: 1 }, next: n0 }`), ''].join('\n');
const wrongOptions = (n: number): string => ['ivr: 1', 'nodes:', '  m:', '    menu:', '      prompt: digit-1', '      options:',
  ...Array.from({ length: n }, (_, i) => `        "${i}": { goto: 5 }`), ''].join('\n');
const wrongVars = (n: number): string => ['ivr: 1', 'nodes:', '  b:', '    end: {}', 'vars:', ...Array.from({ length: n }, (_, i) => `  v${i}: { k: [1] }`), ''].join('\n');
for (const n of [5_000, 10_000, 20_000]) await time(`${n} wrong nodes`, wrongNodes(n));
for (const n of [5_000, 10_000, 20_000]) await time(`menu of ${n} wrong options`, wrongOptions(n));
for (const n of [5_000, 10_000, 20_000]) await time(`${n} variables of the wrong type`, wrongVars(n));
// Targets that are no node, each with a "did you mean" among all the names: worked out for the 20 listed only.
const wrongTargets = (n: number): string => ['ivr: 1', 'nodes:', ...Array.from({ length: n }, (_, i) => `  node_number_${i}: { play: digit-1, next: node_numbr_${i}x }`), ''].join('\n');
for (const n of [4_000, 8_000, 16_000]) await time(`${n} targets that are no node`, wrongTargets(n));
