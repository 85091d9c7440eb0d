/**
 * Front-end benchmark: validate + compile 200 generated flows of 50 nodes each (target < 2 s in
 * all), then the growth from 50 to 500 nodes per flow (target: linear, i.e. flat time per node).
 * Wall time and CPU time are both printed: on a shared machine the CPU time is the stable one.
 * Run with `--expose-gc` to also print the heap a loaded 200 × 50 set keeps, and what its
 * compiled machines add (after full collections): unlike time, it does not depend on the load.
 *
 * The floor: what the two libraries the front end cannot do without cost alone on the same 200 × 50
 * files, `yaml` parsing each file to data and xstate's `createMachine` of each machine config the
 * compiler made (made before the clock starts). It runs first, in a process of its own with the same
 * warm-up, so neither measure warms the other's code (a second 200 × 50 in one process is about a
 * quarter faster than the first). Everything above it is the engine's: reading files safely, the
 * schema, CEL, the checks, the compiler.
 *
 *   node [--expose-gc] dist/test/bench/front-end.js [--json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createMachine } from 'xstate';
import { parseDocument } from 'yaml';
import { buildMachines, checkMachinesBuild, compileFlowSet, flowMachineConfig } from '../../src/compile/index.js';
import { drivenConfig } from '../../src/compile/implementations.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { YAML_COMPOSE, YAML_TO_DATA } from '../../src/parse/flow-source.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { writeFlows } from './generate-flows.js';

interface Row { flows: number; nodes: number; validateMs: number; compileMs: number; totalMs: number; cpuMs: number; usPerNode: number }

/** CPU time of this process (user + system), ms: on a shared machine wall time mostly measures the neighbours. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function measure(root: string, flows: number, nodes: number): Promise<Row> {
  const dir = join(root, `${flows}x${nodes}`);
  writeFlows(dir, flows, nodes);
  const c0 = cpuNow();
  const t0 = performance.now();
  const set = await loadFlows([dir]);
  const t1 = performance.now();
  // Every machine built and let go, as the reload worker checks them (the serving thread builds them again at first calls).
  const compiled = compileFlowSet(set);
  checkMachinesBuild(compiled.values());
  const t2 = performance.now();
  const cpuMs = cpuNow() - c0;
  const broken = [...set.flows.values()].filter((f) => hasErrors(f.diagnostics));
  if (broken.length > 0 || compiled.size !== flows) {
    const first = broken[0]?.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`generated flows do not validate: ${first ? `${first.code} ${first.message}` : `${compiled.size}/${flows} compiled`}`);
  }
  const totalMs = t2 - t0;
  return {
    flows, nodes, validateMs: Math.round(t1 - t0), compileMs: Math.round(t2 - t1), totalMs: Math.round(totalMs), cpuMs: Math.round(cpuMs),
    usPerNode: +((cpuMs * 1000) / (flows * nodes)).toFixed(1),
  };
}

interface Floor { flows: number; nodes: number; yamlMs: number; xstateMs: number; totalMs: number; cpuMs: number }

/**
 * The libraries alone on the set in `dir`: each file read and parsed to data by `yaml` (with a
 * plain `process.env`, as flow-source.ts parses), then `createMachine` of each flow's config. The
 * configs are made between the two clocks; making them parses the files again, after yaml was timed.
 */
async function floor(root: string, flows: number, nodes: number): Promise<Floor> {
  const dir = join(root, `${flows}x${nodes}`);
  const files = readdirSync(dir).map((name) => join(dir, name));
  const c0 = cpuNow();
  const t0 = performance.now();
  const live = process.env;
  process.env = {};
  try {
    for (const file of files) parseDocument(readFileSync(file, 'utf8'), YAML_COMPOSE).toJS(YAML_TO_DATA);
  } finally {
    process.env = live;
  }
  const yamlMs = performance.now() - t0;
  const yamlCpuMs = cpuNow() - c0;
  const set = await loadFlows([dir]);
  const configs = [...set.flows.values()].map((flow) => drivenConfig(flowMachineConfig(flow, set).config));
  const c1 = cpuNow();
  const t1 = performance.now();
  const machines = configs.map((config) => createMachine(config as Parameters<typeof createMachine>[0]));
  const xstateMs = performance.now() - t1;
  const cpuMs = yamlCpuMs + cpuNow() - c1;
  if (machines.length !== flows || files.length !== flows) throw new Error(`floor: ${files.length} files, ${machines.length} machines`);
  return { flows, nodes, yamlMs: Math.round(yamlMs), xstateMs: Math.round(xstateMs), totalMs: Math.round(yamlMs + xstateMs), cpuMs: Math.round(cpuMs) };
}

interface Kept { flows: number; nodes: number; loadedMB: number; compiledMB: number }

/** Heap kept by a loaded set and added by its compiled machines, MB after full collections; undefined without `--expose-gc`. */
async function kept(root: string, flows: number, nodes: number): Promise<Kept | undefined> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  const heapMB = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed / 1048576;
  };
  const dir = join(root, `${flows}x${nodes}`);
  const before = heapMB();
  const set = await loadFlows([dir]);
  const loaded = heapMB();
  const compiled = compileFlowSet(set);
  buildMachines(compiled.values());
  const after = heapMB();
  if (compiled.size !== flows) throw new Error(`${compiled.size}/${flows} compiled`);
  return { flows, nodes, loadedMB: +(loaded - before).toFixed(1), compiledMB: +(after - loaded).toFixed(1) };
}

/** The floor in a fresh process (this file with `--floor`), after the same warm-up as the measure. */
function floorInChild(): Floor {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--floor'], { encoding: 'utf8' });
  return JSON.parse(out) as Floor;
}

const root = mkdtempSync(join(tmpdir(), 'ivr-bench-'));
try {
  if (process.argv.includes('--floor')) {
    writeFlows(join(root, '5x20'), 5, 20);
    writeFlows(join(root, '200x50'), 200, 50);
    await floor(root, 5, 20); // the same warm-up as the measure's
    process.stdout.write(JSON.stringify(await floor(root, 200, 50)));
  } else {
    await main();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const libraries = floorInChild();
  await measure(root, 5, 20); // warm the JIT and the schema compiler
  const rows = [await measure(root, 200, 50)];
  for (const nodes of [50, 100, 200, 500]) rows.push(await measure(root, 20, nodes));
  const heap = await kept(root, 200, 50);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(heap ? { rows, floor: libraries, heap } : { rows, floor: libraries }, null, 2)}\n`);
  else {
    process.stdout.write('flows  nodes  validate ms  compile ms  total ms  CPU ms  CPU µs/node\n');
    for (const r of rows) {
      process.stdout.write(`${String(r.flows).padEnd(7)}${String(r.nodes).padEnd(7)}${String(r.validateMs).padEnd(13)}${String(r.compileMs).padEnd(12)}${String(r.totalMs).padEnd(10)}${String(r.cpuMs).padEnd(8)}${r.usPerNode}\n`);
    }
    const full = rows[0]!;
    process.stdout.write(`floor ${libraries.flows} × ${libraries.nodes} (yaml + createMachine alone): ${libraries.totalMs} ms (yaml ${libraries.yamlMs}, createMachine ${libraries.xstateMs}), CPU ${libraries.cpuMs} ms; the front end ${(full.totalMs / libraries.totalMs).toFixed(2)}× its wall time, ${(full.cpuMs / libraries.cpuMs).toFixed(2)}× its CPU\n`);
    process.stdout.write(heap
      ? `heap kept by ${heap.flows} × ${heap.nodes} loaded: ${heap.loadedMB} MB; its compiled machines add ${heap.compiledMB} MB\n`
      : 'heap kept: run with node --expose-gc to measure\n');
  }
}
