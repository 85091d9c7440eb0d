/**
 * The long fuzz run (a script, not a test): 1,000,000 generated hostile frames across 100
 * connections to the real server on 127.0.0.1, while healthy callers run their scripted
 * conversation over and over next to them. Prints frames sent, crashes (exceptions reaching a
 * handler or the process, streams closed by the server instead of by their own hang-up: must be
 * 0), healthy calls disturbed (a transcript different from the one heard alone: must be 0), and
 * bad frames counted (must equal the parser's count of the frames sent).
 *
 *   npm run build && node dist/test/bench/million-frames.js [frames] [connections] [frames/s per stream]
 *
 * Without a pace (the default) each stream sends as fast as its socket takes it and the
 * frame-rate limit is off (maxFrameRate 0): the parser and the sessions get garbage at volume.
 * With a pace (e.g. 150, under the default limit of 200/s) the limits stay at their defaults and
 * every stream sends at that rate: the most a stream may legally send, across 100 streams.
 */
import fc from 'fast-check';
import { BAD_FRAME_KINDS } from '../../src/plivo/frames.js';
import { E2E_FLOW, E2E_PROMPTS } from '../e2e/fixture-flows.js';
import { eventually, scriptedE2eCall, serve, writeFixture, type Serving } from '../support/e2e-harness.js';
import { PlivoClient } from '../support/plivo-client.js';
import { START, expectedBad, hostileFrame, text, type Sent } from '../reliability/support/hostile-frames.js';
import { RELIABILITY_PROMPTS, SINK_FLOW } from '../reliability/support/reliability-flows.js';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const CONNECTIONS = Number(process.argv[3] ?? 100);
const PACE = Number(process.argv[4] ?? 0);

let processErrors = 0;
process.on('uncaughtException', (err) => {
  processErrors++;
  console.error('uncaught:', err);
});
process.on('unhandledRejection', (err) => {
  processErrors++;
  console.error('unhandled rejection:', err);
});


/** One fuzzing stream: sends `count` frames drawn from `pool` (with backpressure), then hangs up. */
async function fuzzStream(s: Serving, pool: Sent[], count: number, n: number): Promise<{ expected: number; code: number }> {
  const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${s.port}/stream/sink`, start: false });
  // One stream in four starts late (its first start frame comes from the pool): frames before start.
  const frames: Sent[] = n % 4 === 0 ? [] : [text(START(`fuzz-${n}`))];
  let seed = n * 7919 + 1;
  for (let i = frames.length; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    frames.push(pool[seed % pool.length]!);
  }
  const t0 = Date.now();
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    if (f.binary) c.sendBinary(Buffer.from(f.data, 'base64'));
    else c.send(f.data);
    if (PACE > 0 && i % Math.max(1, Math.round(PACE / 50)) === 0) {
      // Paced: the frames due every 20 ms, like Plivo's media clock.
      const due = t0 + (i * 1000) / PACE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    } else if (i % 500 === 0) while (c.ws.bufferedAmount > 256 * 1024) await new Promise((r) => setTimeout(r, 1));
  }
  c.hangup();
  const close = await c.closed;
  return { expected: expectedBad(frames), code: close.code };
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW, 'sink.yaml': SINK_FLOW }, { ...E2E_PROMPTS, ...RELIABILITY_PROMPTS });
  const s = await serve([fixture.dir], { startTimeoutMs: 60_000, ...(PACE > 0 ? {} : { maxFrameRate: 0 }) });
  const t0 = Date.now();
  const baseline = await scriptedE2eCall(s, 10_000).then((t) => t.join('\n'));
  const baselineMs = Date.now() - t0;
  const pool = fc.sample(hostileFrame.filter((f) => f.data.length < 20_000), { numRuns: 50_000, seed: 42 });
  const perStream = Math.ceil(TOTAL / CONNECTIONS);
  const started = Date.now();

  let fuzzing = true;
  let healthyCalls = 0;
  let disturbed = 0;
  const healthyMs: number[] = [];
  const healthyLoop = async (): Promise<void> => {
    while (fuzzing) {
      const t0 = Date.now();
      const transcript = await scriptedE2eCall(s, 10_000).then((t) => t.join('\n')).catch((err: unknown) => `failed: ${String(err)}`);
      healthyMs.push(Date.now() - t0);
      healthyCalls++;
      if (transcript !== baseline) {
        disturbed++;
        console.error(`disturbed healthy call:\n${transcript}`);
      }
    }
  };
  const healthy = Promise.all([healthyLoop(), healthyLoop(), healthyLoop(), healthyLoop()]);
  const results = await Promise.all(Array.from({ length: CONNECTIONS }, (_, n) => fuzzStream(s, pool, perStream, n)));
  fuzzing = false;
  await healthy;
  await eventually(() => s.server.stats().connections.open === 0, 'every stream is closed', 30_000);

  const stats = s.server.stats();
  const counted = BAD_FRAME_KINDS.reduce((sum, k) => sum + stats.badFrames[k], 0);
  const expected = results.reduce((sum, r) => sum + r.expected, 0);
  const closedByServer = results.filter((r) => r.code !== 1000 && r.code !== 1005).length;
  const crashes = stats.handlerErrors + processErrors + closedByServer;
  const seconds = (Date.now() - started) / 1000;
  const report = {
    framesSent: perStream * CONNECTIONS,
    connections: CONNECTIONS,
    pace: PACE > 0 ? `${PACE} frames/s per stream, default limits` : 'as fast as possible, frame-rate limit off',
    floods: stats.limits?.floods ?? 0,
    seconds: Number(seconds.toFixed(1)),
    framesPerSecond: Math.round((perStream * CONNECTIONS) / seconds),
    crashes,
    handlerErrors: stats.handlerErrors,
    processErrors,
    streamsClosedByServer: closedByServer,
    healthyCalls,
    healthyCallsDisturbed: disturbed,
    healthyCallMs: { alone: baselineMs, p50: pct(healthyMs, 50), p99: pct(healthyMs, 99), max: Math.max(...healthyMs) },
    badFramesCounted: counted,
    badFramesExpected: expected,
    badFramesByKind: stats.badFrames,
    framesIn: stats.framesIn,
    // The clients keep every frame they receive (transcripts): most of this is theirs, not the server's.
    rssMiB: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
  console.log(JSON.stringify(report, null, 2));
  await s.close();
  await fixture.cleanup();
  process.exitCode = crashes === 0 && disturbed === 0 && counted === expected ? 0 : 1;
}

void main();
