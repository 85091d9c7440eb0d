/**
 * The top self-time functions of a V8 `.cpuprofile` (what `node --cpu-prof` writes), so a
 * profile can be read in a terminal and quoted in a commit message:
 *
 *   node dist/test/bench/profile-top.js /tmp/prof/ivr-600-*.cpuprofile --top 25
 *
 * Self time of a function = the samples whose innermost frame it is, summed over every node of
 * the call tree with the same function name, file and line (the tree repeats a function once per
 * distinct caller path). `--from/--to` keep the samples of a window (ms since the profile
 * started; the load bench prints its measured window) so start-up work is left out. Also prints the self time summed by file, which shows which module of
 * the engine costs what. `(program)`, `(idle)` and `(garbage collector)` are V8's own buckets.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface TopEntry { name: string; where: string; selfMs: number; percent: number }

/** Self time per function and per file, busiest first; `(idle)` is left out of the percentages. */
export function topSelfTime(profile: CpuProfile, window: { fromMs?: number; toMs?: number } = {}): { functions: TopEntry[]; files: TopEntry[]; busyMs: number; idleMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const fromUs = (window.fromMs ?? 0) * 1000;
  const toUs = (window.toMs ?? Infinity) * 1000;
  let at = 0; // µs since the profile started
  // timeDeltas[i] is the time between sample i-1 and sample i: charge it to sample i.
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs || at > toUs) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
  }
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const file = new Map<string, { name: string; where: string; us: number }>();
  let idleUs = 0;
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const where = frame.url === '' ? '' : `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const key = `${name} ${where}`;
    const f = fn.get(key) ?? { name, where, us: 0 };
    f.us += us;
    fn.set(key, f);
    const fileKey = frame.url === '' ? name : shortUrl(frame.url);
    const g = file.get(fileKey) ?? { name: fileKey, where: '', us: 0 };
    g.us += us;
    file.set(fileKey, g);
  }
  const rank = (m: Map<string, { name: string; where: string; us: number }>): TopEntry[] =>
    [...m.values()]
      .sort((a, b) => b.us - a.us)
      .map((e) => ({ name: e.name, where: e.where, selfMs: +(e.us / 1000).toFixed(1), percent: +((100 * e.us) / Math.max(1, busyUs)).toFixed(1) }));
  return { functions: rank(fn), files: rank(file), busyMs: busyUs / 1000, idleMs: idleUs / 1000 };
}

/** `file:///work/main/node_modules/ws/lib/receiver.js` -> `ws/lib/receiver.js`; ours relative to dist/. */
function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  if (url.startsWith('node:')) return url;
  return basename(url);
}

function main(argv: string[]): void {
  let top = 20;
  const window: { fromMs?: number; toMs?: number } = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else if (argv[i] === '--from') window.fromMs = Number(argv[++i]);
    else if (argv[i] === '--to') window.toMs = Number(argv[++i]);
    else files.push(argv[i]!);
  }
  if (files.length === 0) {
    process.stderr.write('usage: profile-top <file.cpuprofile>... [--top N] [--from ms] [--to ms]\n');
    process.exitCode = 2;
    return;
  }
  for (const path of files) {
    const result = topSelfTime(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, window);
    process.stdout.write(`${path}: busy ${result.busyMs.toFixed(0)} ms, idle ${result.idleMs.toFixed(0)} ms\n`);
    process.stdout.write('  self ms   busy %  function\n');
    for (const e of result.functions.slice(0, top)) {
      process.stdout.write(`  ${e.selfMs.toFixed(1).padStart(7)}  ${e.percent.toFixed(1).padStart(6)}  ${e.name} ${e.where}\n`);
    }
    process.stdout.write('  by file:\n');
    for (const e of result.files.slice(0, Math.min(12, top))) {
      process.stdout.write(`  ${e.selfMs.toFixed(1).padStart(7)}  ${e.percent.toFixed(1).padStart(6)}  ${e.name}\n`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(basename(process.argv[1]))) main(process.argv.slice(2));
