// test:serial: bounds a DTMF->response p99 during a flood; npm run test:unit runs it after the others, alone.
/**
 * Overload, over real sockets: a stream flooding frames far above Plivo's rate is closed with
 * 1008 `frame flood` while a concurrent caller's DTMF->response p99 stays under a bound; a peer
 * that stops reading is cut at the send-buffer limit instead of growing the server's memory; past
 * `maxCalls` new upgrades get 503 while the calls in progress go on.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { eventually, serve, writeFixture, type Fixture, type Serving } from '../support/e2e-harness.js';
import { upgradeStatus } from '../support/child-server.js';
import type { FloodOrder, FloodReport } from './support/flooder.js';
import { dtmfLatencies, percentile } from './support/latency.js';
import { ECHO_FLOW, RELIABILITY_PROMPTS, SINK_FLOW, TALKER_FLOW } from './support/reliability-flows.js';

function startFlooders(url: string, count: number, parallel: number, framesPerConnection: number): { stop(): Promise<FloodReport[]> } {
  const workers = Array.from({ length: count }, () => {
    const order: FloodOrder = { url, durationMs: 60_000, framesPerConnection, parallel };
    const worker = new Worker(new URL('./support/flooder.js', import.meta.url), { workerData: order });
    const report = new Promise<FloodReport>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return { worker, report };
  });
  return {
    async stop() {
      for (const w of workers) w.worker.postMessage('stop');
      const reports = await Promise.all(workers.map((w) => w.report));
      await Promise.all(workers.map((w) => w.worker.terminate()));
      return reports;
    },
  };
}

/**
 * The bound asserted on the p99 during a flood. Measured on a 2-core machine shared with other
 * builds (load ~6): p99 alone 3-25 ms, during a 20-stream flood 8-32 ms, p50 ~0.35 ms both ways;
 * the outliers are the scheduler, not the flood. 100 ms leaves a 3x margin over the worst seen.
 */
const FLOOD_P99_BOUND_MS = 100;

describe('overload', () => {
  let fixture: Fixture;
  before(async () => {
    fixture = await writeFixture({ 'echo.yaml': ECHO_FLOW, 'sink.yaml': SINK_FLOW, 'talker.yaml': TALKER_FLOW }, RELIABILITY_PROMPTS);
  });
  after(() => fixture.cleanup());

  describe('a flood of frames', () => {
    let s: Serving;
    before(async () => {
      s = await serve([fixture.dir]);
    });
    after(() => s.close());

    test(`is closed with 1008 frame flood, and a concurrent caller's DTMF->response p99 stays under ${FLOOD_P99_BOUND_MS} ms`, async (t) => {
      const quiet = await s.call('echo');
      const alone = await dtmfLatencies(quiet, 150);
      quiet.hangup();
      const flooders = startFlooders(`ws://127.0.0.1:${s.port}/stream/sink`, 2, 10, 20_000);
      await eventually(() => (s.server.stats().limits?.floods ?? 0) >= 20, 'the flood is under way', 10_000);
      const busy = await s.call('echo');
      const flooded = await dtmfLatencies(busy, 300);
      const reports = await flooders.stop();
      busy.hangup();

      const p99Alone = percentile(alone, 99);
      const p99Flooded = percentile(flooded, 99);
      const sent = reports.reduce((n, r) => n + r.framesSent, 0);
      const connections = reports.reduce((n, r) => n + r.connections, 0);
      const policyCloses = reports.reduce((n, r) => n + (r.closes['1008'] ?? 0), 0);
      t.diagnostic(`DTMF->response p99 alone ${p99Alone.toFixed(2)} ms, during the flood ${p99Flooded.toFixed(2)} ms (p50 ${percentile(alone, 50).toFixed(2)} / ${percentile(flooded, 50).toFixed(2)} ms)`);
      t.diagnostic(`flood: ${connections} connections, ${sent} frames sent, ${policyCloses} closed with 1008, server counted ${s.server.stats().limits?.floods} floods`);

      assert.ok(p99Flooded < FLOOD_P99_BOUND_MS, `p99 during the flood ${p99Flooded.toFixed(2)} ms < ${FLOOD_P99_BOUND_MS} ms`);
      // Streams still opening when the flood stopped may close otherwise; every other one got 1008.
      assert.ok(policyCloses >= connections - 20, `flooding streams closed with 1008 (${policyCloses} of ${connections})`);
      await eventually(() => s.server.stats().connections.open === 0, 'flooding streams are gone', 5000);
      const stats = s.server.stats();
      assert.ok((stats.limits?.floods ?? 0) >= policyCloses);
      assert.equal(stats.handlerErrors, 0);
      // Past the burst nothing is parsed: at most the burst plus a second's refill per flooding stream.
      assert.ok(stats.framesIn.media <= connections * 1200, `media frames handled ${stats.framesIn.media} for ${connections} flooding streams`);
    });

    test("Plivo's own pace (50 media frames a second, keys, acknowledgements) is never taken for a flood", async () => {
      const c = await s.call('echo');
      const before = s.server.stats().limits?.floods ?? 0;
      // Three seconds of media sent at once (a backlog after a stall), then a normal exchange.
      c.sendMedia(Buffer.alloc(160 * 150, 0xff));
      const latencies = await dtmfLatencies(c, 20);
      assert.equal(latencies.length, 20);
      assert.equal(s.server.stats().limits?.floods ?? 0, before);
      c.hangup();
      await c.closed;
    });
  });

  test('a peer that stops reading is cut at maxBufferedBytes while the server plays to it; other calls go on', async () => {
    const s = await serve([fixture.dir], { maxBufferedBytes: 256 * 1024 });
    try {
      const stalled = await s.call('talker');
      await stalled.waitFor((f) => f.event === 'checkpoint');
      stalled.ws.pause(); // stop reading: the kernel buffers fill, then the server's queue grows
      // Each key restarts a 20 s prompt (~210 kB of base64 audio) that the peer never reads.
      for (let i = 0; i < 200 && (s.server.stats().limits?.slowReaders ?? 0) === 0; i++) {
        stalled.press('1');
        await new Promise((resolve) => setImmediate(resolve));
      }
      await eventually(() => (s.server.stats().limits?.slowReaders ?? 0) === 1, 'the stalled stream is cut', 10_000);
      await eventually(() => s.server.stats().calls.active === 0, 'its call has ended', 5000);
      stalled.ws.resume();
      await stalled.closed;

      const healthy = await s.call('echo');
      assert.equal((await dtmfLatencies(healthy, 5)).length, 5);
      healthy.hangup();
      await healthy.closed;
      assert.equal(s.server.stats().handlerErrors, 0);
    } finally {
      await s.close();
    }
  });

  test('past maxCalls, new upgrades get 503 while the calls in progress go on; a freed slot is taken again', async () => {
    const s = await serve([fixture.dir], { maxCalls: 3 });
    try {
      const calls = await Promise.all([s.call('echo'), s.call('echo'), s.call('echo')]);
      const refused = await upgradeStatus(`ws://127.0.0.1:${s.port}/stream/echo`);
      assert.equal(refused, 503);
      assert.equal(s.server.stats().limits?.refusedBusy, 1);
      for (const c of calls) assert.equal((await dtmfLatencies(c, 2)).length, 2, 'a call in progress still answers keys');
      calls[0]!.hangup();
      await calls[0]!.closed;
      await eventually(() => s.server.stats().connections.open === 2, 'a slot is free');
      const next = await s.call('echo');
      assert.equal((await dtmfLatencies(next, 1)).length, 1);
      for (const c of [...calls.slice(1), next]) c.hangup();
    } finally {
      await s.close();
    }
  });
});

