/**
 * The memory-growth attack of issue 10, for 60 s: 8 streams each sending a ~60 KB `playedStream`
 * name 150 times a second (inside the flood limit) to `ivr serve` as operators run it, with a
 * 256 MB heap (`--max-old-space-size=256`). Before the per-call bounds the names piled up in each
 * call's timeline and the process died of heap exhaustion in ~20 s (with 1 GB). The bench samples
 * the server's RSS every second (/proc/<pid>/status) before, during and after the attack, and a
 * healthy caller's DTMF->response latency alone and during it (the echo flow; key -> first frame).
 *
 *   npm run build && node dist/test/bench/memory-attack.js [--seconds 60] [--streams 8] [--rate 150] [--name-bytes 60000] [--heap 256]
 *     [--server-without-bufferutil]   (the server unmasks frames in JavaScript, as ws does without bufferutil)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaFormat } from '../../src/audio/types.js';
import { parseCallRecords } from '../../src/ops/call-records.js';
import { loadServingFlows } from '../../src/plivo/serving-flows.js';
import { serveChild } from '../support/child-server.js';
import { writeFixture } from '../support/e2e-harness.js';
import { PlivoClient, promptIndex } from '../support/plivo-client.js';
import { longCheckpointFrame, startAttack } from '../reliability/support/paced-attacker.js';
import { dtmfLatencies, percentile } from '../reliability/support/latency.js';
import { ECHO_FLOW, RELIABILITY_PROMPTS, SINK_FLOW } from '../reliability/support/reliability-flows.js';

const FORMAT: MediaFormat = 'audio/x-mulaw;rate=8000';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const seconds = arg('--seconds', 60);
const streams = arg('--streams', 8);
const rate = arg('--rate', 150);
const nameBytes = arg('--name-bytes', 60_000);
const heapMb = arg('--heap', 256);
const serverWithoutBufferutil = process.argv.includes('--server-without-bufferutil');

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  // The attackers call `sink`, which never ends on its own, so every frame they send is read.
  const fixture = await writeFixture({ 'echo.yaml': ECHO_FLOW, 'sink.yaml': SINK_FLOW }, RELIABILITY_PROMPTS);
  const loaded = await loadServingFlows([fixture.dir]);
  if (!loaded.value) throw new Error('the echo flow does not load');
  const prompts = promptIndex(loaded.value.prompts, [...loaded.value.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), FORMAT);
  const records = join(fixture.dir, 'calls.jsonl');
  const child = serveChild([fixture.dir, '--port', '0', '--host', '127.0.0.1', '--records', records, '--no-reload'], {
    NODE_OPTIONS: `--max-old-space-size=${heapMb}`,
    // ws reads this at load: unmask in JavaScript even when bufferutil is installed.
    ...(serverWithoutBufferutil ? { WS_NO_BUFFER_UTIL: '1' } : {}),
  });
  const port = await child.port;
  const pid = child.pid!;
  const url = `ws://127.0.0.1:${port}/stream/echo`;

  const rss: { t: number; mb: number; phase: string }[] = [];
  const t0 = Date.now();
  let phase = 'before';
  const sampler = setInterval(() => {
    if (child.alive()) rss.push({ t: Math.round((Date.now() - t0) / 1000), mb: +rssMb(pid).toFixed(1), phase });
  }, 1000);

  /** Calls of 10 key rounds, 100 ms apart, until `until` returns true. */
  const healthy = async (until: () => boolean): Promise<number[]> => {
    const all: number[] = [];
    while (!until()) {
      const c = await PlivoClient.connect({ url, prompts });
      all.push(...(await dtmfLatencies(c, 10)));
      c.hangup();
      await c.closed;
      await sleep(100);
    }
    return all;
  };

  const aloneUntil = Date.now() + 10_000;
  const alone = await healthy(() => Date.now() > aloneUntil);

  phase = 'attack';
  const attack = startAttack({ url: `ws://127.0.0.1:${port}/stream/sink`, streams, framesPerSecond: rate, durationMs: seconds * 1000, frame: longCheckpointFrame(nameBytes) });
  let attacking = true;
  void attack.done.then(() => (attacking = false));
  const during = await healthy(() => !attacking || !child.alive());
  const report = await attack.done;

  phase = 'after';
  await sleep(5000);
  clearInterval(sampler);
  const alive = child.alive();
  const metrics = alive ? await (await fetch(`http://127.0.0.1:${port}/metrics`)).text() : '';
  if (alive) {
    child.signal('SIGTERM');
    await child.exit;
  }
  const elapsedS = Math.round((Date.now() - t0) / 1000);
  const lines = parseCallRecords(readFileSync(records, 'utf8')).records.filter((r) => r.callId === 'attack').map((r) => JSON.stringify(r).length);

  const attackRss = rss.filter((s) => s.phase === 'attack').map((s) => s.mb);
  const summary = {
    config: { seconds, streams, framesPerSecond: rate, nameBytes, heapMb, serverBufferutil: !serverWithoutBufferutil },
    alive,
    framesSent: report.framesSent,
    mbSent: +((report.framesSent * nameBytes) / 1e6).toFixed(0),
    closes: report.closes,
    attackLastedS: rss.filter((x) => x.phase === 'attack').length,
    elapsedS,
    badCheckpointFrames: Number(/ivr_bad_frames_total\{kind="bad-checkpoint"\} (\d+)/.exec(metrics)?.[1] ?? NaN),
    rssMb: {
      before: rss.filter((s) => s.phase === 'before').at(-1)?.mb,
      attackFirst10s: attackRss.slice(0, 10),
      attackMin: Math.min(...attackRss),
      attackMax: Math.max(...attackRss),
      attackLast: attackRss.at(-1),
      after: rss.at(-1)?.mb,
    },
    rssEvery5s: rss.filter((s) => s.t % 5 === 0).map((s) => `${s.t}s ${s.mb}`),
    healthyDtmfMs: {
      alone: { rounds: alone.length, p50: +percentile(alone, 50).toFixed(2), p99: +percentile(alone, 99).toFixed(2) },
      during: { rounds: during.length, p50: +percentile(during, 50).toFixed(2), p99: +percentile(during, 99).toFixed(2), max: +Math.max(...during).toFixed(2) },
    },
    attackRecordBytes: { records: lines.length, max: Math.max(...lines) },
  };
  console.log(JSON.stringify(summary, null, 2));
  await fixture.cleanup();
}

await main();
