/**
 * /metrics over HTTP, parsed strictly as Prometheus text: the counts are those the test's own
 * calls produced, and no label carries caller data.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readCallRecords } from '../../src/ops/call-records.js';
import { hearPrompts, writeFixture, type Fixture } from '../support/e2e-harness.js';
import { OPS_FLOW, OPS_PROMPTS, opsServe, type OpsServing } from './support/ops-harness.js';
import { parsePromText, sampleValue, type Family } from './support/prom-text.js';

describe('/metrics', () => {
  let fixture: Fixture;
  let s: OpsServing;
  let families: Map<string, Family>;
  const callIds = ['m-completed', 'm-error', 'm-hangup'];

  before(async () => {
    fixture = await writeFixture({ 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
    s = await opsServe(fixture, { reload: false });

    const completed = await s.call('ops', { callId: 'm-completed' });
    await hearPrompts(completed, 2); // welcome, main_menu
    completed.send('{"event":'); // one bad frame
    completed.press('3');
    await hearPrompts(completed, 1); // goodbye
    await completed.closed;

    const failed = await s.call('ops', { callId: 'm-error' });
    await hearPrompts(failed, 2);
    failed.press('2'); // fetch to a closed port, then `sorry`
    await hearPrompts(failed, 1);
    await failed.closed;

    const hungUp = await s.call('ops', { callId: 'm-hangup' });
    await hungUp.nextPrompt(); // welcome, never acknowledged
    hungUp.hangup();
    await hungUp.closed;

    const deadline = Date.now() + 3000;
    while ((await readCallRecords(s.recordsFile)).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const res = await fetch(`${s.base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    families = parsePromText(await res.text());
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  test('calls by flow and end reason; none active', () => {
    assert.equal(sampleValue(families, 'ivr_calls_total', { flow: 'ops', reason: 'completed' }), 1);
    assert.equal(sampleValue(families, 'ivr_calls_total', { flow: 'ops', reason: 'error' }), 1);
    assert.equal(sampleValue(families, 'ivr_calls_total', { flow: 'ops', reason: 'hangup' }), 1);
    assert.equal(sampleValue(families, 'ivr_active_calls'), 0);
  });

  test('frames in by type and bad frames by kind', () => {
    assert.equal(sampleValue(families, 'ivr_frames_in_total', { type: 'start' }), 3);
    assert.equal(sampleValue(families, 'ivr_frames_in_total', { type: 'dtmf' }), 2);
    // completed: 3 acks; error: 3 acks; hang-up: none.
    assert.equal(sampleValue(families, 'ivr_frames_in_total', { type: 'playedStream' }), 6);
    assert.equal(sampleValue(families, 'ivr_bad_frames_total', { kind: 'invalid-json' }), 1);
  });

  test('prompts played, DTMF response latency, fetch latency and failures', () => {
    // welcome + main_menu + goodbye, welcome + main_menu + sorry, welcome.
    assert.equal(sampleValue(families, 'ivr_prompts_played_total', { flow: 'ops' }), 7);
    assert.equal(sampleValue(families, 'ivr_dtmf_response_seconds_count'), 2, 'each key was answered by a frame');
    assert.equal(sampleValue(families, 'ivr_dtmf_response_seconds_bucket', { le: '+Inf' }), 2);
    assert.equal(sampleValue(families, 'ivr_fetch_failures_total', { flow: 'ops', outcome: 'network' }), 1);
    assert.equal(sampleValue(families, 'ivr_fetch_duration_seconds_count', { flow: 'ops', outcome: 'network' }), 1);
  });

  test('the flow version serving new calls', () => {
    const version = s.ops.reloader.current().flows.get('ops')!.version;
    assert.equal(sampleValue(families, 'ivr_flow_version_info', { flow: 'ops', version }), 1);
    assert.equal(sampleValue(families, 'ivr_flow_loads_total'), 1);
    assert.equal(sampleValue(families, 'ivr_flow_reload_failures_total'), 0);
  });

  test('no label carries a call id, a stream id, a digit or a URL', () => {
    // `le` is a histogram bucket bound, not data.
    const labelValues = [...families.values()].flatMap((f) => f.samples.flatMap((x) => Object.entries(x.labels).filter(([k]) => k !== 'le').map(([, v]) => v)));
    for (const v of labelValues) {
      assert.ok(!callIds.includes(v) && !/^stream-/.test(v) && !/^https?:/.test(v) && !/^[0-9*#]$/.test(v), `label value ${v}`);
    }
    const labelNames = new Set([...families.values()].flatMap((f) => f.samples.flatMap((x) => Object.keys(x.labels))));
    assert.deepEqual([...labelNames].sort(), ['flow', 'kind', 'le', 'limit', 'outcome', 'reason', 'type', 'version']);
  });
});

describe('the Prometheus text parser used here', () => {
  test('rejects malformed exposition instead of half-reading it', () => {
    assert.throws(() => parsePromText('# TYPE a counter\na{x="1} 1\n'), /unterminated/);
    assert.throws(() => parsePromText('b 1\n'), /undeclared/);
    assert.throws(() => parsePromText('# TYPE a counter\na one\n'), /bad sample value/);
    assert.throws(() => parsePromText('# TYPE a counter\na 1'), /newline/);
    const ok = parsePromText('# HELP a A.\n# TYPE a counter\na{x="q\\"uote"} 2.5\n');
    assert.equal(sampleValue(ok, 'a', { x: 'q"uote' }), 2.5);
  });
});
