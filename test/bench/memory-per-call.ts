/**
 * Where "RSS per call" goes: a server (ivr as `ivr serve` builds it, or the load bench's floor: a
 * bare `ws` server) in a child process with --expose-gc, N Plivo-like calls opened on it (start
 * frame, then media every 20 ms), and the child's `process.memoryUsage()` after a full GC, idle and
 * with the calls open. Split per call: V8 heap (sessions, closures, sockets' JS objects), external
 * and arrayBuffers (Buffers: `ws` receive/send buffers), and RSS (also V8's young generation, the
 * malloc arena and the kernel's socket buffers are not in RSS, they are kernel memory).
 *
 *   npm run build && node dist/test/bench/memory-per-call.js [--calls 600] [--seconds 10] [--target ivr,floor] [--key-every ms]
 *     [--node-flags "--max-semi-space-size=1"] [--snapshots <dir>]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startFloorServer } from './floor.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Sample { rssBeforeGc: number; rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }
type ToChild = { measure: true; snapshot?: string };
type FromChild = { port: number } | { sample: Sample };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] ?? fallback : fallback;
}

// ---- child: the server under test ----

async function serveChild(target: string): Promise<void> {
  let port: number;
  if (target === 'floor') {
    // The load bench's floor, answering each key with as much audio as ivr plays for "9".
    const wss = await startFloorServer(0, 74_000);
    port = (wss.address() as { port: number }).port;
  } else {
    // What `ivr serve flows/ --log-level warn --records /dev/null --no-reload` builds (src/cli/serve.ts).
    const { loadServingFlows } = await import('../../src/plivo/serving-flows.js');
    const { createLogger } = await import('../../src/ops/logger.js');
    const { setUpOperations } = await import('../../src/ops/operations.js');
    const { createServer } = await import('../../src/plivo/server.js');
    const loaded = await loadServingFlows([`${ROOT}flows`]);
    if (!loaded.value) throw new Error('flows/ did not load');
    const log = createLogger({ level: 'warn' });
    const ops = await setUpOperations(loaded.value, { paths: [`${ROOT}flows`], records: '/dev/null', reload: false, log });
    const server = createServer({ port: 0, host: '127.0.0.1', log, ...ops.serverOptions });
    ops.attach(server);
    port = (await server.listen()).port;
  }
  process.on('message', (msg: ToChild) => {
    if (!msg.measure) return;
    const gc = (globalThis as { gc?: () => void }).gc!;
    const rssBeforeGc = process.memoryUsage().rss;
    gc();
    gc();
    if (msg.snapshot !== undefined) writeHeapSnapshot(msg.snapshot);
    const m = process.memoryUsage();
    // VmRSS rather than memoryUsage().rss: the same figure the load bench reads.
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
    process.send!({ sample: { rssBeforeGc, rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers } } satisfies FromChild);
  });
  process.send!({ port } satisfies FromChild);
}

// ---- parent: the calls and the report ----

const MEDIA_PAYLOAD = Buffer.alloc(160, 0x7f).toString('base64');

function ask(child: ChildProcess, snapshot?: string): Promise<Sample> {
  return new Promise((resolve) => {
    const on = (msg: FromChild): void => {
      if ('sample' in msg) {
        child.off('message', on);
        resolve(msg.sample);
      }
    };
    child.on('message', on);
    child.send({ measure: true, ...(snapshot !== undefined ? { snapshot } : {}) } satisfies ToChild);
  });
}

async function measure(target: string, calls: number, seconds: number, keyEvery: number, nodeFlags: string[], snapshots: string | undefined): Promise<Record<string, string>> {
  const child = fork(fileURLToPath(import.meta.url), ['--child', target], { execArgv: ['--expose-gc', ...nodeFlags], cwd: ROOT });
  const port = await new Promise<number>((resolve) => child.on('message', (msg: FromChild) => 'port' in msg && resolve(msg.port)));
  const idle = await ask(child, snapshots && `${snapshots}/${target}-idle.heapsnapshot`);
  const sockets: WebSocket[] = [];
  await Promise.all(Array.from({ length: calls }, (_, i) => new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/stream/support`, { perMessageDeflate: false });
    ws.on('open', () => {
      ws.send(JSON.stringify({
        event: 'start', sequenceNumber: 1, extra_headers: '',
        start: { callId: `call-${i}`, streamId: `s${i}`, accountId: 'MA', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
      }));
      resolve();
    });
    ws.on('error', reject);
    ws.on('message', () => undefined); // the menu's audio: read and dropped
    sockets.push(ws);
  })));
  const media = sockets.map((_, i) => JSON.stringify({
    event: 'media', sequenceNumber: 2, streamId: `s${i}`, extra_headers: '',
    media: { track: 'inbound', timestamp: '1705312200000', chunk: 1, payload: MEDIA_PAYLOAD },
  }));
  const dtmf = sockets.map((_, i) => JSON.stringify({
    event: 'dtmf', sequenceNumber: 3, streamId: `s${i}`, extra_headers: '', dtmf: { track: 'inbound', digit: '9', timestamp: '1' },
  }));
  // As the load bench: a key per call every keyEvery ms, staggered; "9" replays the support menu
  // (clear + the menu's audio + checkpoint), so the server sends prompt audio as Plivo would ask.
  let tick = 0;
  const ticksPerKey = Math.max(1, Math.round(keyEvery / 20));
  const timer = setInterval(() => {
    tick++;
    sockets.forEach((ws, i) => {
      ws.send(media[i]!);
      if (keyEvery > 0 && (tick + i) % ticksPerKey === 0) ws.send(dtmf[i]!);
    });
  }, 20);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  clearInterval(timer);
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the last frames land
  const open = await ask(child, snapshots && `${snapshots}/${target}-${calls}.heapsnapshot`);
  for (const ws of sockets) ws.terminate();
  child.kill('SIGKILL');
  const per = (k: keyof Sample): string => ((open[k] - idle[k]) / 1024 / calls).toFixed(1);
  return { target, calls: String(calls), 'RSS before GC': per('rssBeforeGc'), 'RSS KB/call': per('rss'), 'heapUsed': per('heapUsed'), 'heapTotal': per('heapTotal'), 'external': per('external'), 'arrayBuffers': per('arrayBuffers'), 'idle RSS MB': (idle.rss / 1048576).toFixed(1) };
}

if (process.argv.includes('--child')) {
  await serveChild(arg('--child', 'ivr'));
} else {
  const calls = Number(arg('--calls', '600'));
  const seconds = Number(arg('--seconds', '10'));
  const keyEvery = Number(arg('--key-every', '2000')); // 0: media only
  // Heap snapshots of the child, idle and with the calls open (Chrome DevTools > Memory > Comparison).
  const snapshots = process.argv.includes('--snapshots') ? arg('--snapshots', '/tmp') : undefined;
  const nodeFlags = arg('--node-flags', '').split(' ').filter((f) => f !== '');
  const rows: Record<string, string>[] = [];
  for (const target of arg('--target', 'ivr,floor').split(',')) rows.push(await measure(target, calls, seconds, keyEvery, nodeFlags, snapshots));
  process.stdout.write(`per call, after a full GC, ${seconds} s of media${keyEvery > 0 ? ` and a key every ${keyEvery} ms` : ''}${nodeFlags.length ? ` (node ${nodeFlags.join(' ')})` : ''}:\n`);
  const keys = Object.keys(rows[0]!);
  process.stdout.write(`${keys.join('\t')}\n${rows.map((r) => keys.map((k) => r[k]).join('\t')).join('\n')}\n`);
}
