/**
 * The server over real sockets on 127.0.0.1, with a recording fake call session injected: routes,
 * the start timeout, frame routing, bad frames counted without ending the call, limits.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import type { CallSession, CallSummary, StartInfo } from '../../src/call/call-session.js';
import type { Transport } from '../../src/call/transport.js';
import type { CompiledFlow } from '../../src/compile/compiled-flow.js';
import type { PromptStore } from '../../src/audio/types.js';
import { createServer, type IvrServer } from '../../src/plivo/server.js';
import type { ServerOptions } from '../../src/plivo/server-options.js';
import { PlivoClient } from '../support/plivo-client.js';

interface FakeCall {
  start: StartInfo;
  flowId: string;
  transport: Transport;
  events: string[];
  media: Buffer[];
  session: CallSession & { mediaGate: { open: boolean } };
  end(reason: string): void;
}

function fakeFlows(...ids: string[]): ServerOptions['flows'] {
  const flows = new Map(ids.map((id) => [id, { id, version: `v-${id}`, flow: {}, machine: {} } as unknown as CompiledFlow]));
  const prompts = {} as PromptStore;
  return () => ({ flows, prompts, loadedAt: 0 });
}

function fakeSessions(): { calls: FakeCall[]; startCall: NonNullable<ServerOptions['startCall']>; started: () => Promise<FakeCall> } {
  const calls: FakeCall[] = [];
  let waiters: ((c: FakeCall) => void)[] = [];
  const startCall: NonNullable<ServerOptions['startCall']> = (start, transport, options) => {
    let resolveDone!: (s: CallSummary) => void;
    const done = new Promise<CallSummary>((r) => (resolveDone = r));
    const events: string[] = [];
    const media: Buffer[] = [];
    let over = false;
    const finish = (reason: string): void => {
      if (over) return;
      over = true;
      resolveDone({ endReason: reason } as CallSummary);
    };
    const session = {
      callId: start.call.callId, flowId: options.flow.id, version: options.flow.version, mediaGate: { open: false }, node: 'start',
      dtmf(d: string) {
        if (d === 'D') throw new Error('a bug in the session');
        events.push(`dtmf ${d}`);
      },
      played: (name: string) => events.push(`played ${name}`),
      cleared: () => events.push('cleared'),
      media: (b: Buffer) => media.push(b),
      hangup: () => {
        events.push('hangup');
        finish('hangup');
      },
      stop: (reason: string) => {
        events.push(`stop ${reason}`);
        transport.close(1000, reason);
        finish(reason);
      },
      vars: () => ({}),
      done,
    };
    const call: FakeCall = {
      start, flowId: options.flow.id, transport, events, media, session,
      end: (reason) => {
        transport.close(1000, reason);
        finish(reason);
      },
    };
    calls.push(call);
    const w = waiters;
    waiters = [];
    for (const f of w) f(call);
    return session;
  };
  const started = (): Promise<FakeCall> => new Promise((r) => waiters.push(r));
  return { calls, startCall, started };
}

async function until(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('the Plivo server', () => {
  let server: IvrServer;
  let base: string;
  const fake = fakeSessions();

  before(async () => {
    server = createServer({
      port: 0, host: '127.0.0.1', flows: fakeFlows('main', 'support', 'after-hours.v2'), startCall: fake.startCall,
      startTimeoutMs: 150, maxPayload: 4096, publicUrl: 'https://ivr.example.com/base/',
      authorize: (req) => (req.headers['x-deny'] ? { ok: false, status: 403, message: 'bad signature' } : { ok: true }),
    });
    const { port } = await server.listen();
    base = `127.0.0.1:${port}`;
  });
  after(() => server.close());

  test('/healthz answers 200 with the flows served', async () => {
    const res = await fetch(`http://${base}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', flows: ['main', 'support', 'after-hours.v2'], activeCalls: 0, loadedAt: 0 });
  });

  test('/answer/<flow> returns the Stream XML pointing at the public URL', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(`http://${base}/answer/support`, { method, ...(method === 'POST' ? { body: 'CallUUID=abc' } : {}) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/xml');
      const xml = await res.text();
      assert.match(xml, /<Stream bidirectional="true" keepCallAlive="true" contentType="audio\/x-mulaw;rate=8000" extraHeaders="flow=support">wss:\/\/ivr\.example\.com\/base\/stream\/support<\/Stream>/);
      assert.match(xml, /^<\?xml[^]*<Response>[^]*<\/Response>\n$/);
    }
    assert.match(await (await fetch(`http://${base}/answer`)).text(), /extraHeaders="flow=main">wss:\/\/ivr\.example\.com\/base\/stream\/main</);
    assert.equal((await fetch(`http://${base}/answer/nope`)).status, 404);
    assert.equal((await fetch(`http://${base}/answer/support`, { headers: { 'x-deny': '1' } })).status, 403);
    assert.equal((await fetch(`http://${base}/elsewhere`)).status, 404);
  });

  test('refuses upgrades to unknown paths, unknown flows, and unauthorized requests', async () => {
    const status = (path: string, headers: Record<string, string> = {}): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://${base}${path}`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => {});
      });
    assert.equal(await status('/stream/nope'), 404);
    assert.equal(await status('/other'), 404);
    assert.equal(await status('/stream/main', { 'x-deny': '1' }), 403);
    assert.equal(await status('/stream/main'), 101);
    assert.equal(await status('/stream/after-hours.v2?x=1'), 101, 'any flow id the schema allows; a query string is ignored');
  });

  test('closes with 1008 when no start frame arrives in time', async () => {
    const client = await PlivoClient.connect({ url: `ws://${base}/stream/main`, start: false });
    assert.deepEqual(await client.closed, { code: 1008, reason: 'no start frame' });
    assert.ok(server.stats().startTimeouts >= 1);
  });

  test('starts the call with the start frame facts and routes frames to the session', async () => {
    const started = fake.started();
    const client = await PlivoClient.connect({ url: `ws://${base}/stream/support`, format: 'audio/x-l16;rate=16000', headers: { lang: 'en' } });
    const call = await started;
    assert.equal(call.flowId, 'support');
    assert.equal(call.start.format, 'audio/x-l16;rate=16000');
    assert.deepEqual(call.start.call, { callId: client.callId, streamId: client.streamId, accountId: 'MATESTACCOUNT', headers: { lang: 'en' } });
    client.press('12#');
    client.send({ event: 'playedStream', name: 'p1' });
    client.send({ event: 'played', name: 'p2' });
    client.send({ event: 'clearedAudio' });
    client.sendMedia(Buffer.alloc(320, 0xff));
    await until(() => call.events.length >= 6, 'frames routed');
    assert.deepEqual(call.events, ['dtmf 1', 'dtmf 2', 'dtmf #', 'played p1', 'played p2', 'cleared']);
    assert.equal(call.media.length, 0, 'media is skipped while the session does not record');
    call.session.mediaGate.open = true;
    const audio = Buffer.from(Array.from({ length: 640 }, (_, i) => i & 0xff));
    client.sendMedia(audio);
    await until(() => call.media.length === 1, 'media delivered');
    assert.deepEqual(call.media[0], audio);
    call.transport.send('{"event":"checkpoint","name":"x"}');
    await client.waitFor((f) => f.event === 'checkpoint');
    call.end('completed');
    assert.deepEqual(await client.closed, { code: 1000, reason: 'completed' });
  });

  test('/stream takes the flow from the flow extra header, else the default flow', async () => {
    let started = fake.started();
    const a = await PlivoClient.connect({ url: `ws://${base}/stream`, headers: { flow: 'support' } });
    assert.equal((await started).flowId, 'support');
    started = fake.started();
    const b = await PlivoClient.connect({ url: `ws://${base}/stream` });
    assert.equal((await started).flowId, 'main');
    const c = await PlivoClient.connect({ url: `ws://${base}/stream`, headers: { flow: 'nope' } });
    assert.deepEqual(await c.closed, { code: 1008, reason: 'unknown flow nope' });
    a.hangup();
    b.hangup();
  });

  test('bad frames are counted by kind and the call goes on; a session exception is caught', async () => {
    const before = server.stats().badFrames;
    const started = fake.started();
    const client = await PlivoClient.connect({ url: `ws://${base}/stream/main`, start: false });
    client.press('1'); // before start
    client.sendStart();
    const call = await started;
    client.sendStart(); // second start
    client.send('{"event":');
    client.send('{"event":"bogus"}');
    client.send('{"event":"dtmf","dtmf":{"digit":"X"}}');
    client.send('{"event":"playedStream"}');
    client.sendBinary(Buffer.from([1, 2, 3]));
    client.press('D'); // the fake session throws on D
    client.press('5');
    await until(() => call.events.includes('dtmf 5'), 'the call still takes keys');
    const after = server.stats().badFrames;
    for (const kind of ['before-start', 'second-start', 'invalid-json', 'unknown-event', 'bad-digit', 'missing-field', 'binary'] as const) {
      assert.equal(after[kind] - before[kind], 1, kind);
    }
    assert.ok(server.stats().handlerErrors >= 1);
    assert.equal(client.closeInfo, undefined, 'still connected');
    client.hangup();
    await client.closed;
    await until(() => call.events.at(-1) === 'hangup', 'socket close hangs the session up');
  });

  test('a message over maxPayload closes that stream with 1009 and leaves other calls alone', async () => {
    const startedHealthy = fake.started();
    const healthy = await PlivoClient.connect({ url: `ws://${base}/stream/main` });
    const healthyCall = await startedHealthy;
    const startedBig = fake.started();
    const big = await PlivoClient.connect({ url: `ws://${base}/stream/main` });
    const bigCall = await startedBig;
    const tooLargeBefore = server.stats().badFrames['too-large'];
    big.send(`{"event":"media","media":{"payload":"${'A'.repeat(5000)}"}}`);
    assert.equal((await big.closed).code, 1009);
    await until(() => bigCall.events.includes('hangup'), 'the big call hangs up');
    assert.equal(server.stats().badFrames['too-large'] - tooLargeBefore, 1);
    healthy.press('7');
    await until(() => healthyCall.events.includes('dtmf 7'), 'the healthy call goes on');
    healthy.hangup();
  });

  test('stopAccepting() refuses new streams with 503 while calls in progress go on', async () => {
    const fake2 = fakeSessions();
    const s = createServer({ port: 0, host: '127.0.0.1', flows: fakeFlows('main'), startCall: fake2.startCall });
    const { port } = await s.listen();
    const started = fake2.started();
    const client = await PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/main` });
    const call = await started;
    s.stopAccepting();
    await assert.rejects(PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/main` }), /upgrade refused: 503/);
    client.press('4');
    await until(() => call.events.includes('dtmf 4'), 'the call in progress goes on');
    await s.close();
  });

  test('close() stops calls in progress with reason shutdown', async () => {
    const fake2 = fakeSessions();
    const s = createServer({ port: 0, host: '127.0.0.1', flows: fakeFlows('main'), startCall: fake2.startCall });
    const { port } = await s.listen();
    const started = fake2.started();
    const client = await PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/main` });
    const call = await started;
    assert.equal(s.calls().length, 1);
    await s.close();
    assert.deepEqual(await client.closed, { code: 1000, reason: 'shutdown' });
    assert.deepEqual(call.events, ['stop shutdown']);
  });

  test('a flood of bad frames is counted in full but logged only up to the limit', async () => {
    const fake2 = fakeSessions();
    const lines: string[] = [];
    const log = { info: () => {}, warn: (_o: object, msg: string) => void lines.push(msg), error: (_o: object, msg: string) => void lines.push(msg) };
    const s = createServer({ port: 0, host: '127.0.0.1', flows: fakeFlows('main'), startCall: fake2.startCall, log, badFrameLogLimit: 3 });
    const { port } = await s.listen();
    const started = fake2.started();
    const client = await PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/main` });
    const call = await started;
    for (let i = 0; i < 100; i++) client.send('{"event":"nonsense"}');
    client.press('1');
    await until(() => call.events.includes('dtmf 1'), 'frames processed');
    assert.equal(s.stats().badFrames['unknown-event'], 100);
    assert.deepEqual(lines, [
      'bad frame: unknown event "nonsense"', 'bad frame: unknown event "nonsense"', 'bad frame: unknown event "nonsense"',
      'more bad frames on this stream: logging paused for 10 s (still counted)',
    ]);
    client.hangup();
    await s.close();
  });

  test('invalid options are refused at start, with every problem named', () => {
    assert.throws(
      () => createServer({ flows: fakeFlows('main'), port: 70000, maxPayload: 10, contentType: 'audio/x-opus' as never, publicUrl: 'nope' }),
      /port must be an integer from 0 to 65535, got 70000; maxPayload must be an integer from 1024 .*; contentType must be one of .*; publicUrl is not a URL/,
    );
  });
});
