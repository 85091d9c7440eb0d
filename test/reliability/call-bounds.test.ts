// test:serial: bounds /healthz p95 during hostile calls; npm run test:unit runs it after the others, alone.
/**
 * Per-call bounds, against `ivr serve` as a process (issue 10, "One stream can kill the process"
 * and "A 30 KB callId goes into every log line"): two streams sending ~60 KB `playedStream` names
 * at 150 frames/s (inside the flood limit) to a server with a 64 MB heap, which held every name
 * in the call's timeline before (18 MB a second: out of heap within 4 s, the 240 MB
 * record); and a stream whose `callId` is 30 KB. The 8-stream, 60 s run against a 256 MB heap is
 * test/bench/memory-attack.ts.
 * Each time: the process lives, a concurrent healthy call's frames are the ones it gets alone,
 * `/healthz` keeps answering within 100 ms (health-probe.ts), the records stay small, nothing secret is printed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaFormat } from '../../src/audio/types.js';
import { parseCallRecords } from '../../src/ops/call-records.js';
import { loadServingFlows } from '../../src/plivo/serving-flows.js';
import { writeFixture, type Fixture } from '../support/e2e-harness.js';
import { PlivoClient, promptIndex } from '../support/plivo-client.js';
import { serveChild, type ChildServer } from '../support/child-server.js';
import { assertResponsive, probeHealth } from '../support/health-probe.js';
import { longCheckpointFrame, startAttack } from './support/paced-attacker.js';
import { ECHO_FLOW, RELIABILITY_PROMPTS } from './support/reliability-flows.js';

const FORMAT: MediaFormat = 'audio/x-mulaw;rate=8000';
const SECRET = 'sk-live-not-for-logs-4242';

describe('per-call bounds, against ivr serve as a process', () => {
  let fixture: Fixture;
  let child: ChildServer;
  let port: number;
  let prompts: Map<string, string>;
  let recordsFile: string;

  before(async () => {
    fixture = await writeFixture({ 'echo.yaml': ECHO_FLOW }, RELIABILITY_PROMPTS);
    const loaded = await loadServingFlows([fixture.dir]);
    assert.ok(loaded.value);
    prompts = promptIndex(loaded.value.prompts, [...loaded.value.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), FORMAT);
    recordsFile = join(fixture.dir, 'calls.jsonl');
    // A small heap: the attack below held 18 MB a second of names and would exhaust it in seconds.
    child = serveChild([fixture.dir, '--port', '0', '--host', '127.0.0.1', '--records', recordsFile, '--no-reload'], {
      NODE_OPTIONS: '--max-old-space-size=64',
      BILLING_SECRET: SECRET,
    });
    port = await child.port;
    await (await fetch(`http://127.0.0.1:${port}/healthz`)).text(); // the first answer pays for warming up
  });
  after(async () => {
    if (child.alive()) {
      child.signal('SIGTERM');
      await child.exit;
    }
    await fixture.cleanup();
  });

  /** A caller on the echo flow: menu, 1, 2, 1, then # to end; its frames as prompt names and events. */
  async function healthyCall(callId: string): Promise<string[]> {
    const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/echo`, prompts, callId });
    const heard: string[] = [];
    const hear = async (): Promise<void> => {
      heard.push(...(await c.nextPrompt(5000)));
      c.ackAll();
    };
    await hear();
    for (const key of ['1', '2', '1']) {
      c.press(key);
      await hear(); // its tone
      await hear(); // the menu again
    }
    c.press('#');
    const close = await c.closed;
    return [...heard, ...c.frames.map((f) => f.event), `close ${close.code} ${close.reason}`];
  }

  test('60 KB playedStream names at 150 frames/s on two streams: refused as bad frames, nothing held, a healthy call unchanged', async () => {
    const alone = await healthyCall('healthy-alone');
    assert.equal(alone.at(-1), 'close 1000 completed');

    const probe = probeHealth(`http://127.0.0.1:${port}`);
    const attack = startAttack({ url: `ws://127.0.0.1:${port}/stream/echo`, streams: 2, framesPerSecond: 150, durationMs: 4000, frame: longCheckpointFrame(60_000) });
    const during = await healthyCall('healthy-during');
    const report = await attack.done;
    const latencies = await probe.stop();

    assert.ok(child.alive(), `the process is alive:\n${child.output().slice(-2000)}`);
    assert.deepEqual(during, alone, 'the healthy call got the same frames as alone');
    assert.ok(report.framesSent > 2 * 150 * 3, `the attack ran: ${report.framesSent} frames`);
    assert.deepEqual(Object.keys(report.closes), ['1000'], 'no attacking stream was cut by the flood limit: the attack stayed inside it');
    assertResponsive(latencies, 'during the long names');

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const refused = Number(/ivr_bad_frames_total\{kind="bad-checkpoint"\} (\d+)/.exec(metrics)?.[1]);
    assert.equal(refused, report.framesSent, 'every long name refused as a bad frame');

    // The attackers' records hold no name: each line is small.
    await new Promise((r) => setTimeout(r, 200));
    const { records } = parseCallRecords(await readFile(recordsFile, 'utf8'));
    const attackers = records.filter((r) => r.callId === 'attack');
    assert.equal(attackers.length, 2);
    for (const r of attackers) assert.ok(JSON.stringify(r).length < 4096, `record of ${JSON.stringify(r).length} bytes`);
    assert.ok(!child.output().includes(SECRET) && !(await readFile(recordsFile, 'utf8')).includes(SECRET), 'nothing secret printed or recorded');
  });

  test('a 30 KB callId: cut in every log line and in the record; no line carries a control character', async () => {
    const logBefore = child.output().length;
    const huge = `${'c'.repeat(30_000)}\u001b[31m\n{"level":50,"msg":"forged"}`;
    const probe = probeHealth(`http://127.0.0.1:${port}`);
    const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/echo`, prompts, callId: huge });
    await c.nextPrompt(5000);
    c.ackAll();
    for (let i = 0; i < 20; i++) {
      c.press('1');
      c.send({ event: 'error', error: { reason: `${'r'.repeat(10_000)}\u009b\u2028` } });
    }
    await c.nextPrompt(5000);
    const alongside = await healthyCall('healthy-beside-long-id');
    c.press('#');
    await c.closed;
    const latencies = await probe.stop();
    assertResponsive(latencies, 'during the long callId');
    assert.equal(alongside.at(-1), 'close 1000 completed');

    const lines = child.output().slice(logBefore).split('\n').filter((l) => l.startsWith('{'));
    const own = lines.filter((l) => l.includes('"callId":"ccc'));
    assert.ok(own.length > 10, `the call's lines: ${own.length}`);
    for (const line of lines) {
      assert.ok(line.length < 3000, `a log line of ${line.length} bytes`);
      assert.ok(!/[\u007f-\u009f\u2028\u2029]/.test(line), 'no raw control character');
      assert.notEqual((JSON.parse(line) as { msg?: string }).msg, 'forged');
    }
    const totalBytes = lines.reduce((n, l) => n + l.length, 0);
    assert.ok(totalBytes < 300_000, `log volume of this call ${totalBytes} bytes (was ~30 KB per line)`);

    await new Promise((r) => setTimeout(r, 200));
    const { records } = parseCallRecords(await readFile(recordsFile, 'utf8'));
    const record = records.find((r) => r.callId.startsWith('ccc'));
    assert.equal(record?.callId.length, 128, 'the record keeps the id cut to 128 characters');
  });
});
