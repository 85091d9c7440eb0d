/**
 * `ivr report` benchmark: records of real calls (the shipped flows' and the golden flow's test
 * cases run through the engine on the simulated clock), repeated with fresh call ids and start
 * times to 100,000 and 1,000,000 lines, then `ivr report <file> --format json` in a child
 * process. Prints wall time, CPU time and peak RSS per size: targets < 60 s for a million, and
 * peak RSS flat (the same for 100k and 1M) and < 200 MB. The largest size runs again with V8's
 * old space capped at 32 MB: what the report holds is bounded, so it must finish the same (a
 * leak would end it with "heap out of memory"); peak RSS above that is garbage V8 collects lazily.
 * The last column is the heap still in use after a full GC at the end: what the report kept.
 *
 *   node dist/test/bench/report.js [--sizes 100000,1000000] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { manyRecords, recordTestCalls, writeRecords } from '../support/call-records.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('--sizes') ?? '100000,1000000').split(',').map(Number);
const keep = process.argv.includes('--keep');

const base = [...(await recordTestCalls(['flows/'])), ...(await recordTestCalls(['test/fixtures/report']))];
const dir = mkdtempSync(join(tmpdir(), 'ivr-report-bench-'));
// The child reports its own peak RSS (getrusage ru_maxrss) and CPU time as it exits.
const child = `
const { main } = await import(${JSON.stringify(new URL('../../src/cli/main.js', import.meta.url).href)});
const code = await main(process.argv.slice(1));
const u = process.resourceUsage();
globalThis.gc();
process.stderr.write(JSON.stringify({ code, maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, heapAfterGcKb: process.memoryUsage().heapUsed / 1024 }));
`;
try {
  console.log(`${base.length} distinct real records, repeated; dir ${dir}`);
  console.log('records     file MB   wall s   cpu s   peak RSS MB   records/s   heap after GC MB');
  const runs = [...sizes.map((n) => ({ n, node: [] as string[] })), { n: sizes.at(-1)!, node: ['--max-old-space-size=32'] }];
  for (const [i, { n, node }] of runs.entries()) {
    const file = join(dir, `calls-${n}.jsonl`);
    if (i < sizes.length) await writeRecords(file, manyRecords(base, n));
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [...node, '--expose-gc', '--input-type=module', '-e', child, 'report', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const wall = (performance.now() - t0) / 1000;
    const stats = JSON.parse(run.stderr.slice(run.stderr.lastIndexOf('{'))) as { code: number; maxRssKb: number; cpuMs: number; heapAfterGcKb: number };
    const out = JSON.parse(run.stdout) as { records: number; skipped: number };
    if (stats.code !== 0 || out.records !== n || out.skipped !== 0) throw new Error(`report failed: ${JSON.stringify({ stats, records: out.records, skipped: out.skipped })}`);
    console.log(`${String(n).padStart(9)}${node.length > 0 ? ` (${node.join(' ')})` : ''}  ${(statSync(file).size / 1e6).toFixed(0).padStart(8)}  ${wall.toFixed(1).padStart(7)}  ${(stats.cpuMs / 1000).toFixed(1).padStart(6)}  ${(stats.maxRssKb / 1024).toFixed(0).padStart(12)}  ${Math.round(n / wall).toString().padStart(10)}  ${(stats.heapAfterGcKb / 1024).toFixed(1).padStart(17)}`);
    if (!keep && i >= sizes.length - 1 && i === runs.length - 1) rmSync(file);
    else if (!keep && i < sizes.length - 1) rmSync(file);
  }
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
