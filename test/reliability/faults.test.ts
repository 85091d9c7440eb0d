// test:serial: bounds how long a failing fetch takes to reach onError; npm run test:unit runs it after the others, alone.
/**
 * Faults outside the caller's control: a backend that hangs, resets, answers 500, broken or
 * truncated JSON; an expression that fails at run time; prompt files deleted or corrupted under
 * a running server, and a corrupted one pushed through hot reload; the call-duration safety net.
 * Each costs at most the call it happens in, which ends through its flow's `onError` in time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eventually, serve, writeFixture, type Fixture, type Serving } from '../support/e2e-harness.js';
import { opsServe, type OpsServing } from '../ops/support/ops-harness.js';
import { FAULT_KEYS, FAULT_PATHS, faultApi, faultsFlow, type FaultApi } from './support/fault-api.js';
import { RELIABILITY_PROMPTS, SINK_FLOW } from './support/reliability-flows.js';

const FETCH_TIMEOUT_MS = 400;

/** Calls the faults line, presses `key`; returns what played after it, how it closed and how long it took. */
async function faultCall(s: Serving, key: string): Promise<{ prompts: string[]; close: { code: number; reason: string }; ms: number }> {
  const c = await s.call('faults');
  assert.deepEqual(await c.nextPrompt(), ['welcome']);
  c.ackAll();
  const t0 = performance.now();
  c.press(key);
  const prompts = await c.nextPrompt(3000);
  const ms = performance.now() - t0;
  c.ackAll();
  return { prompts, close: await c.closed, ms };
}

describe('faults', () => {
  let api: FaultApi;
  let fixture: Fixture;
  let s: Serving;

  before(async () => {
    api = await faultApi();
    const shortLine = SINK_FLOW.replace('id: sink', 'id: short').replace('maxCallDuration: 10m', 'maxCallDuration: 300ms');
    fixture = await writeFixture({ 'faults.yaml': faultsFlow(api.url), 'short.yaml': shortLine }, RELIABILITY_PROMPTS);
    s = await serve([fixture.dir]);
  });
  after(async () => {
    await s.close();
    await api.close();
    await fixture.cleanup();
  });

  test('the control: a backend that answers goes on to the next node', async () => {
    const r = await faultCall(s, '7');
    assert.deepEqual(r.prompts, ['tone_one']);
    assert.deepEqual(r.close, { code: 1000, reason: 'completed' });
  });

  test(`a backend that hangs, resets, answers 500, broken, stalled, truncated or endless JSON: onError every time, within the ${FETCH_TIMEOUT_MS} ms timeout`, async () => {
    // Three calls per fault, all at once: a failure in one never leaks into another.
    const cases = FAULT_PATHS.flatMap((path) => [path, path, path]);
    const results = await Promise.all(cases.map((path) => faultCall(s, FAULT_KEYS[path]).then((r) => ({ path, ...r }))));
    for (const r of results) {
      assert.deepEqual(r.prompts, ['tone_two'], `${r.path}: the onError prompt`);
      assert.deepEqual(r.close, { code: 1000, reason: 'error' }, `${r.path}: ended by onError`);
      // The hanging ones wait for their timeout, no longer (margin for a loaded machine).
      assert.ok(r.ms < FETCH_TIMEOUT_MS + 600, `${r.path}: onError after ${r.ms.toFixed(0)} ms`);
      if (r.path === 'hang' || r.path === 'stall-body') assert.ok(r.ms >= FETCH_TIMEOUT_MS - 20, `${r.path} waited for its timeout (${r.ms.toFixed(0)} ms)`);
      // An endless body is refused once it passes the 1 MiB response cap, before the timeout.
      if (r.path === 'endless') assert.ok(r.ms < FETCH_TIMEOUT_MS, `endless was cut by the size cap (${r.ms.toFixed(0)} ms)`);
    }
    for (const path of FAULT_PATHS) assert.equal(api.requests.filter((q) => q.path === path).length, 3, `${path} requested once per call`);
    assert.equal(s.server.stats().handlerErrors, 0);
  });

  test('an expression that fails at run time (a key the answer lacks, a division by zero) goes to onError', async () => {
    for (const key of ['8', '9']) {
      const r = await faultCall(s, key);
      assert.deepEqual(r.prompts, ['tone_two'], `key ${key}`);
      assert.deepEqual(r.close, { code: 1000, reason: 'error' }, `key ${key}`);
    }
    assert.equal(s.server.stats().handlerErrors, 0);
  });

  test('maxCallDuration ends a call that would go on forever, with its own reason', async () => {
    const c = await s.call('short');
    const t0 = performance.now();
    const close = await c.closed;
    assert.deepEqual(close, { code: 1000, reason: 'max-call-duration' });
    assert.ok(performance.now() - t0 < 2000);
  });

  test('prompt files deleted or corrupted after start: calls keep playing the audio converted at load', async () => {
    const before = await faultCall(s, '7');
    await rm(join(fixture.dir, 'prompts', 'welcome.wav'));
    await writeFile(join(fixture.dir, 'prompts', 'tone_one.wav'), Buffer.from('RIFF\x00\x00\x00\x00WAVEjunk'));
    const afterwards = await faultCall(s, '7');
    assert.deepEqual(afterwards.prompts, before.prompts);
    assert.deepEqual(afterwards.close, before.close);
  });
});

describe('a corrupted prompt pushed through hot reload', () => {
  let fixture: Fixture;
  let s: OpsServing;
  before(async () => {
    fixture = await writeFixture({ 'sink.yaml': SINK_FLOW }, RELIABILITY_PROMPTS);
    s = await opsServe(fixture);
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  test('is refused: the old version keeps serving with its audio, /readyz says why', async () => {
    const first = await s.call('sink');
    const firstPrompt = await first.nextPrompt();
    const version = s.ops.reloader.current().flows.get('sink')?.version;
    const refused = s.ops.reloader.nextReload();
    await writeFile(join(fixture.dir, 'prompts', 'welcome.wav'), Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00garbage-garbage-garbage'));
    assert.equal((await refused).ok, false, 'the reload is refused');
    assert.equal(s.ops.reloader.current().flows.get('sink')?.version, version);
    assert.equal((await fetch(`${s.base}/readyz`)).status, 503);

    const next = await s.call('sink');
    assert.deepEqual(await next.nextPrompt(), firstPrompt, 'new calls get the old audio');
    first.press('2'); // the call in progress goes on too
    first.ackAll();
    await first.waitFor((f) => f.event === 'playAudio', { from: first.cursor });
    for (const c of [first, next]) c.hangup();
    await eventually(() => s.server.stats().calls.active === 0, 'both calls are over');
  });
});
