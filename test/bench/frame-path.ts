/**
 * The engine's own cost per inbound frame, without sockets: `handleConnection` on a stand-in
 * socket, with the session `ivr serve` builds (call tap, metrics, call records, logger at warn),
 * fed the frames Plivo sends. The load bench measures the whole server (kernel, `ws`, GC); this
 * isolates what src/ adds per media frame, so an optimisation shows up above the noise of a
 * shared machine.
 *
 *   npm run build && node --expose-gc dist/test/bench/frame-path.js [--calls 600] [--frames 2000000]
 *
 * With --expose-gc it also prints the heap each call holds (sessions, actors, sockets' closures),
 * the part of "RSS per call" that is the engine's rather than V8's young generation growing.
 * Times are wall µs and CPU µs (process.cpuUsage: on a shared machine the steadier one; it also
 * counts V8's GC helper threads).
 *
 * Allocations: the bytes src/ allocates per media frame and per key, as the growth of V8's heap
 * spaces over a window in which no GC ran (a `gc` PerformanceObserver counts them; a window with a
 * GC is measured again, shorter). The same Buffer is handed over each time here (src/ never keeps
 * or changes it), so the bench's own copy is not counted: 0 bytes over 1e6 media frames with no
 * GC is "zero allocations per media frame".
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import type { WebSocket } from 'ws';
import type { CallSession } from '../../src/call/call-session.js';
import { createLogger } from '../../src/ops/logger.js';
import { setUpOperations } from '../../src/ops/operations.js';
import { handleConnection } from '../../src/plivo/connection.js';
import { resolveServerOptions } from '../../src/plivo/server-options.js';
import { ServerStats } from '../../src/plivo/server-stats.js';
import { loadServingFlows } from '../../src/plivo/serving-flows.js';
import { realClock } from '../../src/call/clock.js';
import { httpFetcher } from '../../src/call/http-fetcher.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What handleConnection uses of a `ws` socket; sends are counted, not written. */
class StandInSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent = 0;
  send(): void {
    this.sent++;
  }
  close(): void {
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const calls = arg('--calls', 600);
const frames = arg('--frames', 2_000_000);
const loaded = await loadServingFlows([`${ROOT}flows`]);
if (!loaded.value) throw new Error('flows/ did not load');
const serving = loaded.value;
const log = createLogger({ level: 'warn' });
const recordsDir = mkdtempSync(join(tmpdir(), 'ivr-frame-path-'));
const ops = await setUpOperations(serving, { paths: [`${ROOT}flows`], records: join(recordsDir, 'calls.jsonl'), reload: false, log });
const options = resolveServerOptions({
  ...ops.serverOptions, clock: realClock, fetcher: httpFetcher, log, port: 0, host: '127.0.0.1',
  // The flood limit is per stream and this bench sends far faster than Plivo would.
  maxFrameRate: 1_000_000, frameBurst: 1_000_000,
});
const stats = new ServerStats();
const sessions: CallSession[] = [];
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const sockets: StandInSocket[] = [];
for (let i = 0; i < calls; i++) {
  const ws = new StandInSocket();
  handleConnection(ws as unknown as WebSocket, { options: { ...options, onCall: (s) => sessions.push(s) }, startCall: options.startCall!, stats, log, routeFlow: 'support' });
  ws.emit('message', Buffer.from(JSON.stringify({
    event: 'start', sequenceNumber: 1,
    start: { callId: `c${i}`, streamId: `s${i}`, accountId: 'MA', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
    extra_headers: '',
  })), false);
  sockets.push(ws);
}
const payload = Buffer.alloc(160, 0x7f).toString('base64');
const media = sockets.map((_, i) => Buffer.from(JSON.stringify({
  event: 'media', sequenceNumber: 2, streamId: `s${i}`,
  media: { track: 'inbound', timestamp: '1705312200000', chunk: 1, payload }, extra_headers: '',
})));

/** CPU time of this process (user + system), µs. */
function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function round(n: number): { us: number; cpuUs: number } {
  const c0 = cpuUs();
  const t0 = performance.now();
  for (let f = 0; f < n; f++) {
    const i = f % calls;
    // ws hands each message over as a fresh Buffer: copy, as it would.
    sockets[i]!.emit('message', Buffer.from(media[i]!), false);
  }
  return { us: ((performance.now() - t0) * 1000) / n, cpuUs: (cpuUs() - c0) / n };
}

let gcs = 0;
const gcObserver = new PerformanceObserver((list) => {
  gcs += list.getEntries().length;
});
gcObserver.observe({ entryTypes: ['gc'] });
// New objects are born in the young generation (large ones in its large-object space): old space
// is left out, since concurrent sweeping after an earlier GC shrinks it while the window runs.
const YOUNG = new Set(['new_space', 'new_large_object_space']);
const heapBytes = (): number => getHeapSpaceStatistics().reduce((sum, space) => sum + (YOUNG.has(space.space_name) ? space.space_used_size : 0), 0);
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Bytes allocated per call of `step`, over `n` calls in a window with no GC: the young generation
 * only grows between collections, so its growth is what was allocated. A window in which a GC ran
 * (reported, or the young generation shrank) is tried again, then halved.
 */
async function allocatedPer(step: (k: number) => void, n: number): Promise<{ bytes: number; over: number }> {
  for (let size = n; size >= 10; size = Math.floor(size / 2)) {
    for (let attempt = 0; attempt < 3; attempt++) {
      await tick(); // let the observer report collections so far
      await tick();
      const before = gcs;
      const h0 = heapBytes();
      for (let k = 0; k < size; k++) step(k);
      const grown = heapBytes() - h0;
      await tick();
      await tick();
      if (gcs === before && grown >= 0) return { bytes: grown / size, over: size };
    }
  }
  return { bytes: Number.NaN, over: 0 };
}

/**
 * Every allocation of `n` calls of `step`, by V8's sampling heap profiler (a sample every 256
 * bytes on average, objects freed since included): the estimate per call and the functions that
 * allocate most. Sees what the young-generation count misses (objects V8 pretenures to old space).
 */
async function sampledAllocations(step: (k: number) => void, n: number): Promise<{ bytes: number; top: { where: string; bytes: number }[] }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let k = 0; k < n; k++) step(k);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const byFunction = new Map<string, number>();
  let total = 0;
  const walk = (node: typeof profile.head): void => {
    const frame = node.callFrame;
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '')}:${frame.lineNumber + 1}`;
    if (node.selfSize > 0) {
      total += node.selfSize;
      byFunction.set(where, (byFunction.get(where) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([where, bytes]) => ({ where, bytes: bytes / n }));
  return { bytes: total / n, top };
}

gc?.();
const heapPerCallKb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / calls;
round(Math.min(200_000, frames)); // warm up: let V8 optimise the path
const { us, cpuUs: mediaCpu } = round(frames);
const copyOnly = ((): number => {
  const t0 = performance.now();
  let n = 0;
  for (let f = 0; f < frames; f++) n += Buffer.from(media[f % calls]!).length;
  return ((performance.now() - t0) * 1000) / frames + n * 0;
})();
process.stdout.write(`${calls} calls, ${frames} media frames: ${us.toFixed(3)} µs per media frame in src/, ${mediaCpu.toFixed(3)} CPU µs (of which ${copyOnly.toFixed(3)} µs is the bench's Buffer copy)\n`);
const mediaAlloc = await allocatedPer((f) => sockets[f % calls]!.emit('message', media[f % calls]!, false), 1_000_000);
const mediaSampled = await sampledAllocations((f) => sockets[f % calls]!.emit('message', media[f % calls]!, false), 1_000_000);
process.stdout.write(`allocated in src/ per media frame: ${mediaAlloc.bytes.toFixed(2)} bytes (young-generation growth over ${mediaAlloc.over} frames with no GC); ` +
  `${mediaSampled.bytes.toFixed(2)} bytes by the sampling heap profiler over 1e6 frames${mediaSampled.top[0] ? ` (most: ${mediaSampled.top[0].where})` : ''}\n`);

// A key press: "9" in the support flow's main menu replays the menu (clear + play + checkpoint).
const dtmf = sockets.map((_, i) => Buffer.from(JSON.stringify({
  event: 'dtmf', sequenceNumber: 3, streamId: `s${i}`, dtmf: { track: 'inbound', digit: '9', timestamp: '1' }, extra_headers: '',
})));
const keys = Math.max(calls * 20, 20_000);
const keyRound = (n: number): number => {
  const sentBefore = sockets.reduce((sum, ws) => sum + ws.sent, 0);
  const c0 = cpuUs();
  const t0 = performance.now();
  for (let k = 0; k < n; k++) sockets[k % calls]!.emit('message', Buffer.from(dtmf[k % calls]!), false);
  const us = ((performance.now() - t0) * 1000) / n;
  const cpu = (cpuUs() - c0) / n;
  const sent = sockets.reduce((sum, ws) => sum + ws.sent, 0) - sentBefore;
  process.stdout.write(`${n} key presses: ${us.toFixed(1)} µs per key, ${cpu.toFixed(1)} CPU µs (${(sent / n).toFixed(2)} frames sent per key)\n`);
  return us;
};
keyRound(Math.min(keys, 5000));
const keyUs = keyRound(keys);
process.stdout.write(`at 50 media frames and one key per call every 2 s: keys add ${(keyUs / 100).toFixed(2)} µs per media frame\n`);
const pressKey = (k: number): boolean => sockets[k % calls]!.emit('message', dtmf[k % calls]!, false);
const keyAlloc = await allocatedPer(pressKey, 400);
const keySampled = await sampledAllocations(pressKey, 5000);
process.stdout.write(`allocated per key: ${(keyAlloc.bytes / 1024).toFixed(1)} KB in the young generation (over ${keyAlloc.over} keys with no GC); ` +
  `${(keySampled.bytes / 1024).toFixed(1)} KB in all (sampling heap profiler, 5000 keys), most by:\n`);
for (const t of keySampled.top) process.stdout.write(`  ${(t.bytes / 1024).toFixed(2).padStart(6)} KB  ${t.where}\n`);
if (gc) process.stdout.write(`heap held per call (calls in the main menu, after GC): ${heapPerCallKb.toFixed(1)} KB\n`);
else process.stdout.write('(run with node --expose-gc for the heap held per call)\n');
gcObserver.disconnect();
for (const ws of sockets) ws.emit('close', 1000, Buffer.alloc(0));
await Promise.all(sessions.map((s) => s.done));
await ops.records.close();
rmSync(recordsDir, { recursive: true, force: true });
process.exit(0);
