// test:serial: a served child process answers fetches and keys on real timeouts; npm run test:unit runs it after the others, alone.
/**
 * Deploy safety, with `ivr serve` as a child process: the process outlives every hostile or
 * failing call; SIGTERM with calls in every state ends each one with a close reason (none is cut
 * silently) and a record on disk; `kill -9` mid-call loses only the calls in progress and leaves
 * every line of the records file complete JSON, which the next start appends to.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaFormat } from '../../src/audio/types.js';
import { loadServingFlows } from '../../src/plivo/serving-flows.js';
import { writeFixture, type Fixture } from '../support/e2e-harness.js';
import { PlivoClient, promptIndex } from '../support/plivo-client.js';
import { serveChild } from '../support/child-server.js';
import { faultApi, faultsFlow, type FaultApi } from './support/fault-api.js';
import { ECHO_FLOW, RELIABILITY_PROMPTS, SINK_FLOW } from './support/reliability-flows.js';

const FORMAT: MediaFormat = 'audio/x-mulaw;rate=8000';

/** Every line of the records file, each parsed on its own: a torn line fails here. */
async function recordLines(file: string): Promise<{ callId: string; endReason: string }[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  assert.ok(text === '' || text.endsWith('\n'), 'the file ends with a complete line');
  return text.split('\n').filter((l) => l !== '').map((line) => JSON.parse(line) as { callId: string; endReason: string });
}

describe('ivr serve as a process', () => {
  let api: FaultApi;
  let fixture: Fixture;
  let prompts: Map<string, string>;

  before(async () => {
    api = await faultApi();
    fixture = await writeFixture({ 'faults.yaml': faultsFlow(api.url), 'sink.yaml': SINK_FLOW, 'echo.yaml': ECHO_FLOW }, RELIABILITY_PROMPTS);
    const loaded = await loadServingFlows([fixture.dir]);
    assert.ok(loaded.value);
    prompts = promptIndex(loaded.value.prompts, [...loaded.value.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), FORMAT);
  });
  after(async () => {
    await api.close();
    await fixture.cleanup();
  });

  const connect = (port: number, flow: string, callId: string, start = true): Promise<PlivoClient> =>
    PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/${flow}`, prompts, callId, start });

  test('outlives every failing and hostile call; SIGTERM then ends each call with a reason and a record', async () => {
    const records = join(fixture.dir, 'drain.jsonl');
    const child = serveChild([fixture.dir, '--port', '0', '--host', '127.0.0.1', '--records', records, '--drain-timeout', '1500ms', '--no-reload', '--log-level', 'warn']);
    const port = await child.port;
    const started: string[] = [];

    // Every fault of the faults line, at once.
    const faulty = await Promise.all([...'123456789'].map(async (key) => {
      const c = await connect(port, 'faults', `fault-${key}`);
      started.push(c.callId);
      await c.nextPrompt();
      c.ackAll();
      c.press(key);
      return c;
    }));
    // Garbage, an oversized frame, and a flood, on their own streams.
    const garbage = await connect(port, 'sink', 'garbage');
    started.push(garbage.callId);
    for (const bad of ['{"event":', 'null', '{"event":"dtmf","dtmf":{"digit":"99"}}', '['.repeat(20_000)]) garbage.send(bad);
    garbage.sendBinary(Buffer.from([0xde, 0xad]));
    garbage.send(`{"event":"media","media":{"payload":"${'A'.repeat(2 * 1024 * 1024)}"}}`);
    const flood = await connect(port, 'sink', 'flood');
    started.push(flood.callId);
    flood.sendMedia(Buffer.alloc(160 * 5000, 0xff));

    for (const c of faulty) await c.closed;
    assert.equal((await garbage.closed).code, 1009);
    assert.deepEqual(await flood.closed, { code: 1008, reason: 'frame flood' });
    assert.ok(child.alive(), child.output());
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);

    // Calls in every state when SIGTERM arrives: waiting for a key, in a hanging fetch,
    // with prompts never acknowledged, and one that finishes its flow during the drain.
    const waiting = await connect(port, 'sink', 'waiting');
    await waiting.nextPrompt();
    waiting.ackAll();
    const fetching = await connect(port, 'faults', 'fetching');
    await fetching.nextPrompt();
    fetching.ackAll();
    const unacked = await connect(port, 'echo', 'unacked');
    await unacked.nextPrompt();
    const finishing = await connect(port, 'faults', 'finishing');
    await finishing.nextPrompt();
    finishing.ackAll();
    const inProgress = [waiting, fetching, unacked, finishing];
    started.push(...inProgress.map((c) => c.callId));

    fetching.press('1'); // its backend hangs: onError after 400 ms, inside the drain
    child.signal('SIGTERM');
    for (let ready = 200; ready !== 503; ) ready = (await fetch(`http://127.0.0.1:${port}/readyz`)).status; // draining
    finishing.press('7');
    // Both play their end prompt and close once it has played.
    await Promise.all([finishing, fetching].map(async (c) => {
      await c.waitFor((f) => f.event === 'checkpoint', { from: c.cursor });
      c.ackAll();
    }));

    const closes = Object.fromEntries(await Promise.all(inProgress.map(async (c) => [c.callId, await c.closed] as const)));
    assert.deepEqual(closes, {
      waiting: { code: 1000, reason: 'shutdown' },
      fetching: { code: 1000, reason: 'error' },
      unacked: { code: 1000, reason: 'shutdown' },
      finishing: { code: 1000, reason: 'completed' },
    });
    assert.equal(await child.exit, 0, child.output());

    const byId = Object.fromEntries((await recordLines(records)).map((r) => [r.callId, r.endReason]));
    for (const id of started) assert.ok(id in byId, `a record for ${id}`);
    assert.equal(Object.keys(byId).length, started.length, 'one record per call, none twice');
    assert.deepEqual([byId.waiting, byId.fetching, byId.unacked, byId.finishing], ['shutdown', 'error', 'shutdown', 'completed']);
    assert.equal(byId['fault-7'], 'completed');
    for (const key of '12345689') assert.equal(byId[`fault-${key}`], 'error', `fault-${key}`);
  });

  test('kill -9 mid-call loses only the calls in progress; every line stays complete and the next start appends', async (t) => {
    const records = join(fixture.dir, 'killed.jsonl');
    const args = [fixture.dir, '--port', '0', '--host', '127.0.0.1', '--records', records, '--no-reload', '--log-level', 'warn'];
    const first = serveChild(args);
    // A failed assertion must not leave a server running: the test process would never exit.
    t.after(() => void (first.alive() && first.signal('SIGKILL')));
    const port = await first.port;
    for (const id of ['done-1', 'done-2', 'done-3']) {
      const c = await connect(port, 'faults', id);
      await c.nextPrompt();
      c.ackAll();
      c.press('7');
      await c.nextPrompt();
      c.ackAll();
      assert.deepEqual(await c.closed, { code: 1000, reason: 'completed' });
    }
    // The record is fsync'd before the call counts as finished; wait until all three are there.
    const deadline = Date.now() + 3000;
    while ((await recordLines(records)).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const inProgress = await Promise.all([connect(port, 'sink', 'lost-1'), connect(port, 'echo', 'lost-2')]);
    for (const c of inProgress) await c.nextPrompt();
    first.signal('SIGKILL');
    assert.equal(await first.exit, 'SIGKILL');
    for (const c of inProgress) assert.equal((await c.closed).code, 1006, 'the process is gone');

    assert.deepEqual((await recordLines(records)).map((r) => r.callId), ['done-1', 'done-2', 'done-3']);

    const second = serveChild(args);
    t.after(() => void (second.alive() && second.signal('SIGKILL')));
    const port2 = await second.port;
    const c = await connect(port2, 'faults', 'after-restart');
    await c.nextPrompt();
    c.ackAll();
    c.press('7');
    await c.nextPrompt();
    c.ackAll();
    await c.closed;
    second.signal('SIGTERM');
    assert.equal(await second.exit, 0, second.output());
    assert.deepEqual((await recordLines(records)).map((r) => r.callId), ['done-1', 'done-2', 'done-3', 'after-restart']);
  });
});
