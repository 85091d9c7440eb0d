/**
 * Issue 10, "Sensitive digits leak": each leak reproduced on a real compiled flow, a real call
 * session, the call's log and the call record made from its event stream, and shown gone.
 * Where a key is masked: src/compile/sensitive.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCall } from '../../src/call/start-call.js';
import { compileFlow } from '../../src/compile/compile-flow.js';
import { recordCalls, type CallRecord, type CallRecordWriter } from '../../src/ops/call-records.js';
import { SimClock } from '../../src/testing/sim-clock.js';
import { flowSet, loadedFlow } from '../compile/harness.js';
import { fakePrompts } from './support/fake-prompts.js';
import { FrameTransport } from './support/frame-transport.js';
import { memoryLog } from './support/memory-log.js';
import { settle } from './support/harness.js';

const PIN_FLOW = `
ivr: 1
id: bank
vars: { pin: "", api: "http://api.test" }
nodes:
  hello: { play: hello, next: ask }
  ask:
    collect: { prompt: enter_pin, into: pin, min: 4, max: 8, sensitive: true }
    next: check
  check:
    fetch: { url: "{{ api }}/pin/{{ pin }}", timeout: 1s }
    next: menu
    onError: menu
  menu:
    menu: { prompt: menu, options: { "1": bye } }
  bye: { end: { reason: done } }
`;

/** A call of `yaml` (plus subflows) whose log lines and call record are kept. */
function call(yaml: string, others: string[] = []) {
  const main = loadedFlow(yaml);
  const set = flowSet(main, ...others.map((y) => loadedFlow(y)));
  const flow = compileFlow(main, set);
  const log = memoryLog();
  const records: CallRecord[] = [];
  const writer: CallRecordWriter = { file: '(memory)', append: async (r) => void records.push(r), flush: async () => {}, close: async () => {} };
  const transport = new FrameTransport();
  const clock = new SimClock();
  const prompts = fakePrompts({ hello: 1000, enter_pin: 1000, menu: 1000, enter_dob: 1000, pharmacy_welcome: 1000 });
  const session = startCall({ call: { callId: 'c1', streamId: 's1', accountId: 'A', headers: {} }, format: 'audio/x-mulaw;rate=8000' }, transport, {
    flow, prompts, clock, log, watchers: [recordCalls(writer)],
    fetcher: async () => ({ status: 200, headers: {}, body: {} }),
  });
  const press = async (keys: string): Promise<void> => {
    for (const key of keys) session.dtmf(key);
    await settle();
  };
  const record = async (): Promise<CallRecord> => {
    session.hangup();
    await session.done;
    assert.equal(records.length, 1);
    return records[0]!;
  };
  return { session, log, press, record, clock };
}

/** Everything a watcher wrote, as one text to search. */
function everything(log: ReturnType<typeof memoryLog>, record: CallRecord): string {
  return `${log.text()}\n${JSON.stringify(record)}`;
}

describe('sensitive digits are masked wherever they appear', () => {
  test('a PIN typed ahead during the prompt before a sensitive collect is masked in logs, record timeline and fetch URL', async () => {
    const c = call(PIN_FLOW);
    // Typeahead during `hello` (barge-in), then the rest in `ask`: the collect takes all of it.
    await c.press('9');
    await c.press('876');
    c.clock.advance(5000); // inter-digit timeout: decide on 9876
    await settle();
    const record = await c.record();
    assert.deepEqual(record.nodes.slice(0, 3), ['hello', 'ask', 'check']);
    assert.equal(record.fetches[0]?.url, 'http://api.test/pin/***');
    const keys = record.timeline.filter((e) => e.event === 'dtmf');
    assert.deepEqual(keys.map((e) => e.event === 'dtmf' && e.digit), ['*', '*', '*', '*']);
    assert.ok(keys.every((e) => e.event === 'dtmf' && e.sensitive));
    const keyLines = c.log.lines.filter((l) => l.msg === 'key');
    assert.deepEqual(keyLines.map((l) => (l.obj as { key: string }).key), ['*', '*', '*', '*']);
    assert.deepEqual(record.inputs.map((i) => i.value), ['***']);
    const all = everything(c.log, record);
    for (const leak of ['9876', '"key":"9"', '/pin/9', '876']) assert.ok(!all.includes(leak), `no ${leak} in ${all}`);
  });

  test('a PIN with * and # in it is masked whole (keys, input, URL)', async () => {
    const c = call(PIN_FLOW.replace('min: 4, max: 8,', 'min: 4, max: 8, terminator: "",'));
    c.session.played('x'); // nothing pending: ignored
    await c.press('12*4#6');
    c.clock.advance(5000);
    await settle();
    const record = await c.record();
    assert.equal(record.fetches[0]?.url, 'http://api.test/pin/***');
    const keys = record.timeline.filter((e) => e.event === 'dtmf').map((e) => e.event === 'dtmf' && e.digit);
    assert.deepEqual(keys, ['*', '*', '*', '*', '*', '*']);
    const all = everything(c.log, record);
    for (const leak of ['12*4', '4#6', '%23', '"key":"#"', '"key":"1"']) assert.ok(!all.includes(leak), `no ${leak}`);
  });

  test('keys a menu takes stay readable; keys after the sensitive collect too', async () => {
    const c = call(PIN_FLOW);
    await c.press('4321#');
    await settle();
    await c.press('1');
    const record = await c.record();
    const keys = record.timeline.filter((e) => e.event === 'dtmf').map((e) => e.event === 'dtmf' && e.digit);
    assert.deepEqual(keys, ['*', '*', '*', '*', '*', '1']);
    assert.deepEqual(record.inputs.map((i) => `${i.node}=${i.value}`), ['ask=***', 'menu=1']);
  });

  test('inside a subflow (pharmacy -> verify-dob): keys, inputs and nodes are masked and named <subflow>/<node>', async () => {
    const parent = `
ivr: 1
id: pharmacy
vars: { dob: "" }
nodes:
  greet: { play: pharmacy_welcome, next: verify }
  verify: { subflow: { flow: verify-dob, output: { dob: "dob" } }, next: bye }
  bye: { end: { reason: done } }
`;
    const child = `
ivr: 1
id: verify-dob
vars: { dob: "" }
nodes:
  ask:
    collect: { prompt: enter_dob, into: dob, min: 8, max: 8, terminator: "", sensitive: true }
    next: done
  done: { return: {} }
`;
    const c = call(parent, [child]);
    // The first digits typed ahead during the parent's welcome prompt, the rest in the subflow.
    await c.press('03');
    await c.press('051980');
    const record = await c.record();
    assert.deepEqual(record.nodes, ['greet', 'verify', 'verify-dob/ask', 'verify-dob/done', 'bye']);
    assert.deepEqual(record.inputs.map((i) => `${i.node}=${i.value}`), ['verify-dob/ask=***']);
    const keys = record.timeline.filter((e) => e.event === 'dtmf').map((e) => e.event === 'dtmf' && e.digit);
    assert.deepEqual(keys, Array(8).fill('*'));
    assert.equal(record.endReason, 'done');
    const all = everything(c.log, record);
    for (const leak of ['0305', '1980', '"key":"0"', '"key":"3"']) assert.ok(!all.includes(leak), `no ${leak}`);
    // One `flow` per log line: node lines name the subflow in the node, not in a second `flow` field.
    assert.ok(c.log.lines.filter((l) => l.msg === 'node').every((l) => !('flow' in l.obj)));
  });

  test('a key ignored during a prompt without barge-in before a sensitive collect is masked too', async () => {
    const c = call(PIN_FLOW.replace('hello: { play: hello, next: ask }', 'hello: { play: hello, bargeIn: false, next: ask }'));
    await c.press('5');
    const record = await c.record();
    const keys = record.timeline.filter((e) => e.event === 'dtmf').map((e) => e.event === 'dtmf' && e.digit);
    assert.deepEqual(keys, ['*']);
    assert.ok(!everything(c.log, record).includes('"key":"5"'));
  });

  test('where no sensitive collect can follow, keys are shown as typed', async () => {
    const c = call(`
ivr: 1
nodes:
  hello: { play: hello, next: menu }
  menu: { menu: { prompt: menu, options: { "1": bye } } }
  bye: { end: { reason: done } }
`);
    await c.press('1');
    const record = await c.record();
    assert.deepEqual(record.timeline.filter((e) => e.event === 'dtmf').map((e) => e.event === 'dtmf' && e.digit), ['1']);
  });
});

describe('ivr_dtmf_response_seconds', () => {
  test('counts only keys the engine acted on: a key during a prompt without barge-in is not a 4 s response', async () => {
    const { createMetrics } = await import('../../src/ops/metrics.js');
    const metrics = createMetrics();
    const flow = compileFlow(loadedFlow(`
ivr: 1
id: notice
nodes:
  notice: { play: hello, bargeIn: false, next: menu }
  menu: { menu: { prompt: menu, options: { "1": bye } } }
  bye: { end: { prompt: menu, reason: done } }
`), flowSet());
    const clock = new SimClock();
    const transport = new FrameTransport();
    const session = startCall({ call: { callId: 'c1', streamId: 's1', accountId: 'A', headers: {} }, format: 'audio/x-mulaw;rate=8000' }, transport, {
      flow, prompts: fakePrompts({ hello: 4000, menu: 1000 }), clock, watchers: [metrics.watchCall],
      fetcher: async () => ({ status: 200, headers: {}, body: {} }),
    });
    session.dtmf('5'); // ignored: the notice plays without barge-in
    clock.advance(4000 + 2000); // the notice is over (no checkpoint ack: the grace fallback), the menu plays
    await settle();
    session.dtmf('1'); // taken by the menu: the goodbye prompt starts at once
    session.hangup();
    await session.done;
    const text = (await metrics.scrape()).body;
    assert.match(text, /^ivr_dtmf_response_seconds_count 1$/m, text);
    assert.match(text, /^ivr_dtmf_response_seconds_bucket\{le="0.005"\} 1$/m);
  });
});
