/**
 * `ivr replay`: calls served by the real server (records to a file) are replayed against the
 * flow as it is now; an edited copy of the flow makes them diverge at the step the edit changes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCallRecords, type CallRecord } from '../../src/ops/call-records.js';
import { replayRecords } from '../../src/replay/replay-records.js';
import { eventually, hearPrompts, writeFixture, type Fixture } from '../support/e2e-harness.js';
import { runCli } from '../support/run-cli.js';
import { OPS_FLOW, OPS_PROMPTS, opsServe } from '../ops/support/ops-harness.js';
import { notReplayable } from '../../src/replay/replayable.js';


/** `ivr replay` as a user runs it: the command table, in this process (test/support/run-cli.ts). */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const { status, stdout, stderr } = await runCli(['replay', ...args]);
  // A child process's stdout alone on success, both streams on failure, as before.
  return { code: status, out: status === 0 ? stdout : `${stdout}${stderr}` };
}

describe('ivr replay', () => {
  let fixture: Fixture;
  let records: CallRecord[];
  let recordsFile: string;

  /** A copy of the fixture with `edit` applied to ops.yaml. */
  async function editedCopy(name: string, edit: (yaml: string) => string): Promise<string> {
    const dir = join(fixture.dir, name);
    await cp(join(fixture.dir, 'prompts'), join(dir, 'prompts'), { recursive: true });
    const yaml = edit(OPS_FLOW);
    assert.notEqual(yaml, OPS_FLOW, 'the edit changed the flow');
    await writeFile(join(dir, 'ops.yaml'), yaml);
    return dir;
  }

  before(async () => {
    fixture = await writeFixture({ 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
    const s = await opsServe(fixture, { reload: false });
    try {
      // 1: menu, key 3, goodbye.
      const a = await s.call('ops', { playback: 'realtime', callId: 'bye' });
      await hearPrompts(a, 2);
      a.press('3');
      await a.closed;
      // 2: key 2, the fetch fails (nothing listens on port 9), the error end.
      const b = await s.call('ops', { playback: 'realtime', callId: 'fetch-fails' });
      await hearPrompts(b, 2);
      b.press('2');
      await b.closed;
      // 3: key 1, a PIN typed in a sensitive collect: recorded masked.
      const c = await s.call('ops', { playback: 'realtime', callId: 'pin' });
      await hearPrompts(c, 2);
      c.press('1');
      await hearPrompts(c, 1);
      c.press('1234');
      await c.closed;
      // 4: the caller hangs up during the menu.
      const d = await s.call('ops', { playback: 'realtime', callId: 'hangs-up' });
      await hearPrompts(d, 2);
      d.hangup();
      await d.closed;
      let written = 0;
      const count = (): void => void readCallRecords(s.recordsFile).then((r) => (written = r.length), () => {});
      await eventually(() => (count(), written === 4), 'every call is recorded');
    } finally {
      await s.close();
    }
    recordsFile = s.recordsFile;
    records = await readCallRecords(recordsFile);
  });
  after(() => fixture.cleanup());

  test('every recorded call replays unchanged against the same flow; the masked one is not replayable', async () => {
    assert.deepEqual(records.map((r) => r.callId).sort(), ['bye', 'fetch-fails', 'hangs-up', 'pin']);
    const report = await replayRecords(records, [fixture.dir]);
    const status = Object.fromEntries(report.results.map((r) => [r.callId, r.status]));
    assert.deepEqual(status, { bye: 'same', 'fetch-fails': 'same', pin: 'not-replayable', 'hangs-up': 'same' }, JSON.stringify(report, null, 2));
    assert.equal(report.ok, true);
    const pin = report.results.find((r) => r.callId === 'pin');
    assert.match(pin?.status === 'not-replayable' ? pin.reason : '', /sensitive collect/);
  });

  test('the CLI prints one line per call and exits 0 when nothing diverged', async () => {
    const { code, out } = await cli([recordsFile, '--flow', fixture.dir]);
    assert.equal(code, 0, out);
    assert.match(out, /^unchanged +bye \(ops\)$/m);
    assert.match(out, /^not replayable pin \(ops\): 4 key\(s\) were typed in a sensitive collect/m);
    assert.match(out, /4 call\(s\): 3 unchanged, 0 diverged, 1 not replayable/);
  });

  test('a changed menu prompt diverges at the second prompt, after the greeting', async () => {
    const dir = await editedCopy('prompt-edit', (y) => y.replace('prompt: main_menu', 'prompt: menu_v2'));
    const { code, out } = await cli([recordsFile, '--flow', dir, '--call', 'bye']);
    assert.equal(code, 1, out);
    assert.match(out, /^diverged +bye \(ops\) at prompt #2 at \d+\.\d s, before the caller did anything$/m);
    assert.match(out, /^ {2}expected: main_menu$/m);
    assert.match(out, /^ {2}actual: {3}menu_v2$/m);
  });

  test('an option sent elsewhere diverges at the node the key now leads to', async () => {
    const dir = await editedCopy('option-edit', (y) => y.replace('"3": bye', '"3": lookup'));
    const report = await replayRecords(records.filter((r) => r.callId !== 'pin'), [dir]);
    const bye = report.results.find((r) => r.callId === 'bye');
    assert.equal(bye?.status, 'diverged');
    assert.deepEqual(bye?.status === 'diverged' ? bye.divergence : undefined, {
      what: 'node', index: 3, step: 'node #3 (after menu)', expected: 'bye', actual: 'lookup',
    });
    // The other calls never pressed 3.
    assert.deepEqual(report.results.filter((r) => r.status === 'diverged').map((r) => r.callId), ['bye']);
    assert.equal(report.ok, false);
  });

  test('a record whose fetch was answered is not replayable (records keep no response bodies)', async () => {
    const bye = records.find((r) => r.callId === 'bye')!;
    const answered: CallRecord = { ...bye, callId: 'answered', fetches: [{ url: 'http://x/accounts', method: 'get', outcome: 'ok', status: 200, ms: 12 }] };
    const report = await replayRecords([answered], [fixture.dir]);
    assert.deepEqual(report.results.map((r) => r.status), ['not-replayable']);
  });

  test('the records file is read as written by ivr serve (JSON lines)', async () => {
    const text = await readFile(recordsFile, 'utf8');
    assert.equal(text.trim().split('\n').length, 4);
  });
});

describe('ivr replay usage', () => {
  test('a missing records file or an unknown --call is a usage error (exit 2)', async () => {
    assert.equal((await cli(['/nonexistent/calls.jsonl'])).code, 2);
    const fixture = await writeFixture({ 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
    try {
      const file = join(fixture.dir, 'calls.jsonl');
      await writeFile(file, '');
      const { code, out } = await cli([file, '--flow', fixture.dir, '--call', 'nope']);
      assert.equal(code, 2);
      assert.match(out, /no call nope in/);
    } finally {
      await fixture.cleanup();
    }
  });
});

describe('records cut at their bounds', () => {
  test('a truncated record is not replayable, and says what was cut', () => {
    const record: CallRecord = {
      callId: 'c', streamId: 's', flow: 'ops', version: 'v1', format: 'audio/x-mulaw;rate=8000', headers: {},
      startedAt: new Date(0).toISOString(), endedAt: new Date(1000).toISOString(), durationMs: 1000, endReason: 'hangup',
      nodes: [], inputs: [], fetches: [], recordings: [], prompts: [], timeline: [], truncated: { timeline: 500, bytes: 600_000 },
    };
    assert.equal(notReplayable(record), 'the record was cut at its bounds (500 timeline entries dropped, a 600000-byte line written without its lists)');
    assert.equal(notReplayable({ ...record, truncated: undefined }), undefined);
  });
});
