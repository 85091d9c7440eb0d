/**
 * Call records and call logs: a line for every call however it ended, written whole, readable
 * after a crash, and without the digits of a sensitive collect anywhere.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  RECORD_LIMITS, openCallRecords, parseCallRecords, readCallRecords, recordCalls, recordLine, type CallRecord, type CallRecordWriter,
} from '../../src/ops/call-records.js';
import type { WatchedCall } from '../../src/call/call-events.js';
import { scriptFlow } from '../call/support/script-machine.js';
import type { CallSummary } from '../../src/call/call-session.js';
import type { Command } from '../../src/compile/protocol.js';
import { hearPrompts, writeFixture, type Fixture } from '../support/e2e-harness.js';
import { OPS_FLOW, OPS_PROMPTS, opsServe, type OpsServing } from './support/ops-harness.js';

function record(callId: string): CallRecord {
  return {
    callId, streamId: `s-${callId}`, flow: 'ops', version: 'v1', format: 'audio/x-mulaw;rate=8000', headers: {},
    startedAt: new Date(0).toISOString(), endedAt: new Date(1000).toISOString(), durationMs: 1000, endReason: 'completed',
    nodes: ['greet'], inputs: [], fetches: [], recordings: [], prompts: [], timeline: [{ at: 5, event: 'dtmf', digit: '1', sensitive: false }],
  };
}

describe('call records file', () => {
  let fixture: Fixture;
  before(async () => {
    fixture = await writeFixture({}, {});
  });
  after(() => fixture.cleanup());

  test('appends one JSON line per record and reads them back', async () => {
    const file = join(fixture.dir, 'a.jsonl');
    const writer = await openCallRecords(file);
    await Promise.all([writer.append(record('c1')), writer.append(record('c2')), writer.append(record('c3'))]);
    await writer.close();
    const text = await readFile(file, 'utf8');
    assert.equal(text.split('\n').length, 4, 'three lines and a final newline');
    assert.deepEqual((await readCallRecords(file)).map((r) => r.callId), ['c1', 'c2', 'c3']);
  });

  test('a partial last line from a crash is skipped, and the next run starts a fresh line', async () => {
    const file = join(fixture.dir, 'crash.jsonl');
    const first = await openCallRecords(file);
    await first.append(record('before-1'));
    await first.append(record('before-2'));
    await first.close();
    // The process died in the middle of writing a third line.
    await appendFile(file, JSON.stringify(record('torn')).slice(0, 57));
    assert.deepEqual((await readCallRecords(file)).map((r) => r.callId), ['before-1', 'before-2']);
    assert.equal(parseCallRecords(await readFile(file, 'utf8')).skipped, 1);

    const restarted = await openCallRecords(file);
    await restarted.append(record('after'));
    await restarted.close();
    const parsed = parseCallRecords(await readFile(file, 'utf8'));
    assert.deepEqual(parsed.records.map((r) => r.callId), ['before-1', 'before-2', 'after']);
    assert.equal(parsed.skipped, 1, 'only the torn line is lost');
  });

  test('lines that are JSON but not call records ({}, 1, null, a record without its flow) are skipped and counted, as ivr report skips them', () => {
    const good = JSON.stringify(record('kept'));
    const { flow: _flow, ...flowless } = record('no-flow');
    const text = [good, '{}', '1', 'null', JSON.stringify(flowless), good, ''].join('\n');
    const parsed = parseCallRecords(text);
    assert.deepEqual(parsed.records.map((r) => r.callId), ['kept', 'kept']);
    assert.equal(parsed.skipped, 4);
  });

  test('an empty or missing trailing newline-only file reads as no records', () => {
    assert.deepEqual(parseCallRecords(''), { records: [], skipped: 0 });
    assert.deepEqual(parseCallRecords('\n'), { records: [], skipped: 0 });
  });
});

describe('call records and logs of served calls', () => {
  let fixture: Fixture;
  let s: OpsServing;
  before(async () => {
    fixture = await writeFixture({ 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
    s = await opsServe(fixture, { reload: false });
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  async function waitRecord(callId: string): Promise<CallRecord> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const r = (await readCallRecords(s.recordsFile).catch(() => [])).find((x) => x.callId === callId);
      if (r) return r;
      if (Date.now() > deadline) throw new Error(`no record for ${callId}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  }

  test('a call that completes: nodes, the keys Plivo sent, acks and the end reason', async () => {
    const c = await s.call('ops', { callId: 'rec-normal' });
    assert.deepEqual(await hearPrompts(c, 2), ['welcome', 'main_menu']);
    c.press('3');
    assert.deepEqual(await hearPrompts(c, 1), ['goodbye']);
    assert.deepEqual(await c.closed, { code: 1000, reason: 'completed' });
    const r = await waitRecord('rec-normal');
    assert.equal(r.endReason, 'completed');
    assert.equal(r.streamId, c.streamId);
    assert.equal(r.flow, 'ops');
    assert.equal(r.version, s.ops.reloader.current().flows.get('ops')!.version);
    assert.deepEqual(r.nodes, ['greet', 'menu', 'bye']);
    assert.deepEqual(r.inputs.map((i) => [i.node, i.value, i.outcome]), [['menu', '3', 'match']]);
    assert.deepEqual(r.prompts.map((p) => p.prompt), [['welcome'], ['main_menu'], ['goodbye']]);
    assert.deepEqual(r.timeline.map((e) => e.event), ['playedStream', 'playedStream', 'dtmf', 'playedStream']);
    assert.ok(r.timeline.every((e, i) => e.at >= 0 && (i === 0 || e.at >= r.timeline[i - 1]!.at)), 'ms from start, in order');
    assert.ok(Date.parse(r.endedAt) >= Date.parse(r.startedAt));
  });

  test('a caller who hangs up gets a record ending in hangup', async () => {
    const c = await s.call('ops', { callId: 'rec-hangup' });
    await c.nextPrompt();
    c.hangup();
    const r = await waitRecord('rec-hangup');
    assert.equal(r.endReason, 'hangup');
    assert.deepEqual(r.timeline.map((e) => e.event), ['hangup']);
  });

  test('a call that ends by error records the failed fetch', async () => {
    const c = await s.call('ops', { callId: 'rec-error' });
    await hearPrompts(c, 2);
    c.press('2');
    assert.deepEqual(await hearPrompts(c, 1), ['sorry']);
    assert.equal((await c.closed).reason, 'error');
    const r = await waitRecord('rec-error');
    assert.equal(r.endReason, 'error');
    assert.deepEqual(r.nodes, ['greet', 'menu', 'lookup', 'sorry']);
    assert.equal(r.fetches.length, 1);
    assert.equal(r.fetches[0]!.outcome, 'network');
  });

  test('sensitive digits are masked in the record and absent from every log line', async () => {
    const c = await s.call('ops', { callId: 'rec-sensitive' });
    await hearPrompts(c, 2);
    c.press('1');
    assert.deepEqual(await hearPrompts(c, 1), ['enter_pin']);
    c.press('9876');
    assert.deepEqual(await hearPrompts(c, 1), ['goodbye']);
    assert.deepEqual(await c.closed, { code: 1000, reason: 'completed' });
    const r = await waitRecord('rec-sensitive');
    assert.deepEqual(r.inputs.map((i) => [i.node, i.value, i.sensitive]), [['menu', '1', false], ['pin', '***', true]]);
    const keys = r.timeline.filter((e) => e.event === 'dtmf').map((e) => (e as { digit: string }).digit);
    assert.deepEqual(keys, ['1', '*', '*', '*', '*']);

    const recordsText = await readFile(s.recordsFile, 'utf8');
    const logText = s.logText();
    for (const text of [recordsText, logText]) {
      assert.doesNotMatch(text, /9876/);
      for (const d of '9876') assert.doesNotMatch(text, new RegExp(`"(digit|key|value)":"${d}"`), `key ${d} leaked`);
    }
    const keyLines = s.logs.filter((l) => l.msg === 'key' && l.callId === 'rec-sensitive');
    assert.deepEqual(keyLines.map((l) => [l.node, l.key]), [['menu', '1'], ['pin', '*'], ['pin', '*'], ['pin', '*'], ['pin', '*']]);
  });

  test('a value typed in a sensitive collect is scrubbed from fetch URLs in the record and the logs', async () => {
    const c = await s.call('ops', { callId: 'rec-account' });
    await hearPrompts(c, 2);
    c.press('4');
    await hearPrompts(c, 1); // enter_pin
    c.press('246813');
    assert.deepEqual(await hearPrompts(c, 1), ['sorry'], 'the fetch fails (closed port), onError ends the call');
    await c.closed;
    const r = await waitRecord('rec-account');
    assert.equal(r.fetches.length, 1);
    assert.equal(r.fetches[0]!.url, 'http://127.0.0.1:9/accounts/***');
    assert.doesNotMatch(await readFile(s.recordsFile, 'utf8'), /246813/);
    assert.doesNotMatch(s.logText(), /246813/);
    const fetchLine = s.logs.find((l) => l.callId === 'rec-account' && l.msg === 'fetch');
    assert.equal(fetchLine?.url, 'http://127.0.0.1:9/accounts/***');
  });

  test('a barge-in and a transfer: clear, cleared audio and transfer lines; the tones in the record', async () => {
    const c = await s.call('ops', { callId: 'rec-transfer' });
    await hearPrompts(c, 1); // welcome
    await c.nextPrompt(); // main_menu, still playing
    c.press('5');
    await c.next((f) => f.event === 'clearAudio');
    assert.deepEqual(await hearPrompts(c, 1), ['goodbye']);
    const tones = await c.next((f) => f.event === 'sendDTMF');
    assert.equal(tones.json.dtmf, '*21234#');
    assert.equal((await c.closed).reason, 'transferred');
    const r = await waitRecord('rec-transfer');
    assert.equal(r.endReason, 'transferred');
    assert.deepEqual(r.sentDtmf, ['*21234#']);
    assert.deepEqual(r.timeline.map((e) => e.event), ['playedStream', 'dtmf', 'clearedAudio', 'playedStream']);
    const lines = s.logs.filter((l) => l.callId === 'rec-transfer');
    assert.deepEqual(lines.filter((l) => l.msg === 'clear' || l.msg === 'audio cleared').map((l) => [l.msg, l.node]), [['clear', 'menu'], ['audio cleared', 'operator']], 'Plivo answers once the call has moved on');
    const transfer = lines.find((l) => l.msg === 'transfer');
    assert.deepEqual([transfer?.node, transfer?.tones], ['operator', 7]);
    assert.ok(!JSON.stringify(transfer).includes('1234'), 'the tones themselves are not logged');
  });

  test('each call event is one log line with callId, flow, version and node', async () => {
    const version = s.ops.reloader.current().flows.get('ops')!.version;
    const lines = s.logs.filter((l) => l.callId === 'rec-normal');
    const msgs = lines.map((l) => l.msg);
    for (const m of ['call started', 'node', 'prompt', 'key', 'input', 'call ended']) assert.ok(msgs.includes(m), `a "${m}" line`);
    assert.ok(lines.every((l) => l.flow === 'ops' && l.version === version));
    assert.ok(lines.filter((l) => l.msg === 'prompt' || l.msg === 'key').every((l) => typeof l.node === 'string' && l.node !== ''));
  });

  test('a caller-provided string cannot forge a log line', async () => {
    const c = await s.call('ops', { callId: 'evil\n{"level":"info","msg":"forged"}' });
    await c.nextPrompt();
    c.hangup();
    await waitRecord('evil\n{"level":"info","msg":"forged"}');
    assert.ok(s.logText().split('\n').every((line) => line === '' || JSON.parse(line)));
    assert.equal(s.logs.filter((l) => l.msg === 'forged').length, 0);
  });
});

describe('a record is bounded whatever the call sent', () => {
  const summary = (fetchUrl: string): CallSummary => ({
    callId: 'c', streamId: 's', flowId: 'ops', version: 'v1', startedAt: 0, endedAt: 1000, endReason: 'hangup',
    nodes: ['menu'], inputs: [], fetches: [{ url: fetchUrl, method: 'GET', outcome: 'ok', status: 200, ms: 3 }], recordings: [],
  });

  test('timeline and prompts keep 1000 entries, the rest are counted in truncated; URLs are cut', async () => {
    let written: CallRecord | undefined;
    const writer: CallRecordWriter = { file: '(memory)', append: async (r) => void (written = r), flush: async () => {}, close: async () => {} };
    const call: WatchedCall = {
      start: { call: { callId: 'c', streamId: 's', accountId: '', headers: {} }, format: 'audio/x-mulaw;rate=8000' },
      flow: scriptFlow('ops'),
      log: undefined,
    };
    const watcher = recordCalls(writer)(call)!;
    for (let i = 0; i < 1500; i++) void watcher({ type: 'key', key: '1', node: 'menu', sensitive: false, acted: true }, 0);
    for (let i = 0; i < 1200; i++) void watcher({ type: 'play', playbackId: i, items: [{ flow: 'ops', prompt: 'welcome' }], bargeIn: true } satisfies Command, 0);
    await watcher({ type: 'ended', summary: summary(`http://api/${'a'.repeat(100_000)}`) }, 1000);
    assert.equal(written?.timeline.length, RECORD_LIMITS.entries);
    assert.equal(written?.prompts.length, RECORD_LIMITS.entries);
    assert.deepEqual(written?.truncated, { timeline: 500, prompts: 200 });
    assert.equal(written?.fetches[0]?.url.length, RECORD_LIMITS.urlLength);
  });

  test('a line over the byte limit is written without its lists, saying how large it was', () => {
    const big = { ...record('big'), nodes: Array.from({ length: 1000 }, () => 'n'.repeat(1000)) };
    const line = recordLine(big);
    assert.ok(Buffer.byteLength(line) <= RECORD_LIMITS.bytes);
    const back = JSON.parse(line) as CallRecord;
    assert.equal(back.callId, 'big');
    assert.deepEqual(back.nodes, []);
    assert.ok((back.truncated?.bytes ?? 0) > RECORD_LIMITS.bytes);
    assert.equal(recordLine(record('small')), JSON.stringify(record('small')), 'a small record is left as it is');
  });
});
