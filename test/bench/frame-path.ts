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
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
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

function round(n: number): number {
  const t0 = performance.now();
  for (let f = 0; f < n; f++) {
    const i = f % calls;
    // ws hands each message over as a fresh Buffer: copy, as it would.
    sockets[i]!.emit('message', Buffer.from(media[i]!), false);
  }
  return ((performance.now() - t0) * 1000) / n;
}

gc?.();
const heapPerCallKb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / calls;
round(Math.min(200_000, frames)); // warm up: let V8 optimise the path
const us = round(frames);
const copyOnly = ((): number => {
  const t0 = performance.now();
  let n = 0;
  for (let f = 0; f < frames; f++) n += Buffer.from(media[f % calls]!).length;
  return ((performance.now() - t0) * 1000) / frames + n * 0;
})();
process.stdout.write(`${calls} calls, ${frames} media frames: ${us.toFixed(3)} µs per media frame in src/ (of which ${copyOnly.toFixed(3)} µs is the bench's Buffer copy)\n`);

// A key press: "9" in the support flow's main menu replays the menu (clear + play + checkpoint).
const dtmf = sockets.map((_, i) => Buffer.from(JSON.stringify({
  event: 'dtmf', sequenceNumber: 3, streamId: `s${i}`, dtmf: { track: 'inbound', digit: '9', timestamp: '1' }, extra_headers: '',
})));
const keys = Math.max(calls * 20, 20_000);
const keyRound = (n: number): number => {
  const sentBefore = sockets.reduce((sum, ws) => sum + ws.sent, 0);
  const t0 = performance.now();
  for (let k = 0; k < n; k++) sockets[k % calls]!.emit('message', Buffer.from(dtmf[k % calls]!), false);
  const us = ((performance.now() - t0) * 1000) / n;
  const sent = sockets.reduce((sum, ws) => sum + ws.sent, 0) - sentBefore;
  process.stdout.write(`${n} key presses: ${us.toFixed(1)} µs per key (${(sent / n).toFixed(2)} frames sent per key)\n`);
  return us;
};
keyRound(Math.min(keys, 5000));
const keyUs = keyRound(keys);
process.stdout.write(`at 50 media frames and one key per call every 2 s: keys add ${(keyUs / 100).toFixed(2)} µs per media frame\n`);
if (gc) process.stdout.write(`heap held per call (calls in the main menu, after GC): ${heapPerCallKb.toFixed(1)} KB\n`);
else process.stdout.write('(run with node --expose-gc for the heap held per call)\n');
for (const ws of sockets) ws.emit('close', 1000, Buffer.alloc(0));
await Promise.all(sessions.map((s) => s.done));
await ops.records.close();
rmSync(recordsDir, { recursive: true, force: true });
process.exit(0);
