/**
 * Garbage never crashes the server nor changes a healthy call: the same conversation gives the
 * same frames alone and next to connections sending every kind of bad frame and a frame of
 * several megabytes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { E2E_FLOW, E2E_PROMPTS } from './fixture-flows.js';
import { eventually, scriptedE2eCall, serve, writeFixture, type Fixture, type Serving } from '../support/e2e-harness.js';
import { PlivoClient } from '../support/plivo-client.js';


async function garbageCall(s: Serving): Promise<{ code: number; reason: string }> {
  const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${s.port}/stream/e2e`, start: false });
  c.press('1'); // before start
  c.send('{"event":"media","media":{"payload":"AAAA"}}'); // before start
  c.sendStart();
  c.sendStart(); // second start
  c.send('{"event":');
  c.send('not json at all');
  c.send('{"event":"jump"}');
  c.send('{"event":"dtmf","dtmf":{"digit":"99"}}');
  c.send('{"event":"dtmf"}');
  c.send('{"event":"playedStream","name":42}');
  c.send('{"event":"playedStream","name":"p999"}'); // stale: not an error, ignored
  c.sendBinary(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  c.send('{"event":"media","sequenceNumber":1,"media":{"payload":"%%%not base64%%%"}}');
  c.send(`{"event":"media","media":{"payload":"${'A'.repeat(5 * 1024 * 1024)}"}}`); // several MB
  return c.closed;
}

describe('garbage, end to end', () => {
  let fixture: Fixture;
  let s: Serving;

  before(async () => {
    fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW }, E2E_PROMPTS);
    s = await serve([fixture.dir], { startTimeoutMs: 300 });
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  test('every kind of bad frame is counted, a huge frame closes only its own stream with 1009, a healthy call is unchanged', async () => {
    const alone = await scriptedE2eCall(s);
    assert.equal(alone.at(-1), 'close 1000 completed');

    const before = s.server.stats();
    const silent = PlivoClient.connect({ url: `ws://127.0.0.1:${s.port}/stream/e2e`, start: false }).then((c) => c.closed);
    const [together, garbage, silentClose] = await Promise.all([scriptedE2eCall(s), garbageCall(s), silent]);
    assert.deepEqual(together, alone);
    assert.equal(garbage.code, 1009);
    assert.deepEqual(silentClose, { code: 1008, reason: 'no start frame' });

    const after = s.server.stats();
    for (const kind of ['before-start', 'second-start', 'invalid-json', 'unknown-event', 'bad-digit', 'missing-field', 'binary', 'too-large'] as const) {
      assert.ok(after.badFrames[kind] > before.badFrames[kind], `${kind} counted`);
    }
    assert.equal(after.handlerErrors, 0);
    await eventually(() => s.server.stats().calls.active === 0, 'every call is over');
    const health = await fetch(`http://127.0.0.1:${s.port}/healthz`);
    assert.equal(health.status, 200);
  });

  test('random frames, valid and not, in any order, never raise an exception in the engine', async () => {
    const frame = fc.oneof(
      fc.constantFrom(...'0123456789*#ABCD').map((digit) => ({ event: 'dtmf', dtmf: { digit } })),
      fc.string({ maxLength: 6 }).map((name) => ({ event: 'playedStream', name })),
      fc.nat({ max: 20 }).map((n) => ({ event: 'played', name: `p${n}.${n}` })),
      fc.constant({ event: 'clearedAudio' }),
      fc.uint8Array({ maxLength: 320 }).map((b) => ({ event: 'media', media: { payload: Buffer.from(b).toString('base64') } })),
      fc.jsonValue().map((v) => ({ event: 'dtmf', dtmf: v })),
      fc.jsonValue(),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 60 }), async (frames) => {
        const c = await s.call('e2e');
        await c.next((f) => f.event === 'checkpoint');
        for (const f of frames) c.send(typeof f === 'string' ? f : JSON.stringify(f));
        c.hangup();
        await c.closed;
      }),
      { numRuns: 40 },
    );
    await eventually(() => s.server.stats().calls.active === 0, 'every call is over');
    assert.equal(s.server.stats().handlerErrors, 0);
    assert.equal((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status, 200);
  });
});
