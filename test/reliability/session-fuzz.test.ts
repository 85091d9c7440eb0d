/**
 * Whole sessions under attack, over real sockets: batches of connections send generated hostile
 * sequences (frames before start, a second start, wrong types, unknown events, binary frames,
 * deep nesting, acknowledgements for checkpoints never sent, clears nobody asked for, checkpoints
 * never acknowledged) while a healthy caller runs its scripted conversation next to them. The
 * healthy transcript must equal the one it got alone, every bad frame must be counted exactly
 * (the expected count comes from replaying each sequence through the parser), and no exception
 * may reach a handler.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BAD_FRAME_KINDS } from '../../src/plivo/frames.js';
import { E2E_FLOW, E2E_PROMPTS } from '../e2e/fixture-flows.js';
import { eventually, scriptedE2eCall, serve, writeFixture, type Fixture, type Serving } from '../support/e2e-harness.js';
import { PlivoClient } from '../support/plivo-client.js';
import { RELIABILITY_PROMPTS, SINK_FLOW } from './support/reliability-flows.js';
import { START, expectedBad, hostileSession, text, type Sent } from './support/hostile-frames.js';

async function fuzzer(s: Serving, session: { startFirst: boolean; frames: Sent[] }, n: number): Promise<{ expected: number; close: { code: number; reason: string } }> {
  const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${s.port}/stream/sink`, start: false });
  const frames = session.startFirst ? [text(START(`fuzz-${n}`)), ...session.frames] : session.frames;
  for (const f of frames) {
    if (f.binary) c.sendBinary(Buffer.from(f.data, 'base64'));
    else c.send(f.data);
  }
  c.hangup();
  return { expected: expectedBad(frames), close: await c.closed };
}


const totalBad = (s: Serving): number => {
  const bad = s.server.stats().badFrames;
  return BAD_FRAME_KINDS.reduce((sum, k) => sum + bad[k], 0);
};

describe('sessions under hostile frames, over real sockets', () => {
  let fixture: Fixture;
  let s: Serving;
  let baseline: string[];

  before(async () => {
    fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW, 'sink.yaml': SINK_FLOW }, { ...E2E_PROMPTS, ...RELIABILITY_PROMPTS });
    s = await serve([fixture.dir], { startTimeoutMs: 10_000 });
    baseline = await scriptedE2eCall(s);
    assert.equal(baseline.at(-1), 'close 1000 completed');
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  test('batches of hostile connections: the healthy call is unchanged, each bad frame is counted, no handler throws', async () => {
    let runs = 0;
    let counted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileSession, { minLength: 6, maxLength: 10 }), async (sessions) => {
        runs++;
        const before = totalBad(s);
        const [healthy, ...fuzzed] = await Promise.all([scriptedE2eCall(s), ...sessions.map((session, i) => fuzzer(s, session, i))]);
        assert.deepEqual(healthy, baseline, 'the healthy call heard and saw exactly what it did alone');
        await eventually(() => s.server.stats().connections.open === 0, 'every fuzzing stream is closed');
        const expected = fuzzed.reduce((sum, f) => sum + f.expected, 0);
        assert.equal(totalBad(s) - before, expected, 'every bad frame counted, none twice');
        counted += expected;
        for (const f of fuzzed) assert.ok([1000, 1005].includes(f.close.code), `closed by the caller's hang-up, got ${f.close.code} ${f.close.reason}`);
        assert.equal(s.server.stats().handlerErrors, 0, 'no exception reached a handler');
      }),
      { numRuns: 12 },
    );
    assert.equal(runs, 12);
    assert.ok(counted > 200, `the sequences were hostile enough (${counted} bad frames)`);
    await eventually(() => s.server.stats().calls.active === 0, 'every call is over');
    assert.equal((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status, 200);
  });

  test('a text frame that is not UTF-8 closes only its own stream (1007, RFC 6455) and is counted', async () => {
    const before = s.server.stats().badFrames['invalid-json'];
    const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${s.port}/stream/sink` });
    await c.waitFor((f) => f.event === 'checkpoint');
    const [healthy] = await Promise.all([scriptedE2eCall(s), (async () => c.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }))()]);
    assert.equal((await c.closed).code, 1007);
    assert.deepEqual(healthy, baseline);
    assert.equal(s.server.stats().badFrames['invalid-json'], before + 1);
    assert.equal(s.server.stats().handlerErrors, 0);
  });

  test('a call that never acknowledges a checkpoint, and acknowledges names never sent, still runs its flow', async () => {
    // The caller ignores every checkpoint and acknowledges made-up ones: prompts count as played
    // after their duration plus the playback grace, and the menu still answers keys.
    const c = await s.call('sink');
    await c.next((f) => f.event === 'checkpoint');
    c.send('{"event":"playedStream","name":"p999.1"}');
    c.send('{"event":"clearedAudio"}');
    c.press('2');
    const prompt = await c.nextPrompt(5000);
    assert.deepEqual(prompt, ['welcome']);
    c.hangup();
    await c.closed;
    assert.equal(s.server.stats().handlerErrors, 0);
  });
});
