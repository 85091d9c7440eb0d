// test:serial: a served child process times keys in real time (a collect's inter-digit timeout); npm run test:unit runs it after the others, alone.
/**
 * Security, end to end against `ivr serve` as a process: digits typed in a `sensitive` collect
 * appear in no log line, record, metric or error message (they go through a failing fetch URL,
 * a reset connection and a failing expression on the way); values from a backend cannot inject
 * into URLs (encoded), tones (only 0-9*#A-D reach the wire), recording paths (named by the
 * server) or log lines (a caller's newline stays escaped); `env.NAME` is visible only for
 * allow-listed names. Signatures replayed to another URL are refused on `/answer` too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaFormat } from '../../src/audio/types.js';
import { loadServingFlows } from '../../src/plivo/serving-flows.js';
import { writeFixture, type Fixture } from '../support/e2e-harness.js';
import { PlivoClient, promptIndex } from '../support/plivo-client.js';
import { opsServe } from '../ops/support/ops-harness.js';
import { serveChild, type ChildServer } from '../support/child-server.js';
import { HOSTILE, faultApi, type FaultApi } from './support/fault-api.js';
import { RELIABILITY_PROMPTS } from './support/reliability-flows.js';

const PIN = '739158264';
const SECRET = 'hunter2-not-allow-listed';
const FORMAT: MediaFormat = 'audio/x-mulaw;rate=8000';

const secureFlow = (api: string): string => `ivr: 1
id: secure
vars:
  api: "${api}"
  pin: ""
  n: 0
onError: sorry
start: ask
nodes:
  ask:
    collect:
      prompt: welcome
      into: pin
      min: 9
      max: 9
      sensitive: true
    next: check
  check:
    fetch:
      url: "{{ api }}/500/{{ pin }}?pin={{ pin }}"
      timeout: 400ms
    next: done
    onError: again
  again:
    fetch:
      url: "{{ api }}/reset/{{ pin }}"
      timeout: 400ms
    next: done
    onError: compute
  compute:
    set: { n: "int(pin) / (n - n)" }
    next: done
  done:
    end: {}
  sorry:
    end: { prompt: [tone_two, { digits: "pin" }], reason: error }
`;

const envFlow = (api: string): string => `ivr: 1
id: envcheck
vars:
  api: "${api}"
onError: sorry
start: allowed
nodes:
  allowed:
    fetch:
      url: "{{ api }}/ok"
      headers: { x-billing: "{{ env.BILLING_TOKEN }}" }
      timeout: 400ms
    next: hidden
  hidden:
    fetch:
      url: "{{ api }}/ok"
      headers: { x-secret: "{{ env.SECRET_TOKEN }}" }
      timeout: 400ms
    next: done
  done:
    end: {}
  sorry:
    end: { prompt: tone_two, reason: error }
`;

const injectFlow = (api: string): string => `ivr: 1
id: inject
vars:
  api: "${api}"
  name: ""
  tones: ""
  line: ""
  message: ""
onError: sorry
start: hostile
nodes:
  hostile:
    fetch:
      url: "{{ api }}/hostile"
      timeout: 400ms
      set: { name: "response.body.name", tones: "response.body.tones", line: "response.body.line" }
    next: echo
  echo:
    fetch:
      url: "{{ api }}/echo/{{ name }}/{{ line }}?q={{ name }}"
      timeout: 400ms
    next: leave
  leave:
    record:
      beep: false
      maxDuration: 300ms
      into: message
    next: dial
  dial:
    transfer:
      dtmf: "*2{{ tones }}#"
      settle: 10ms
  sorry:
    end: { prompt: tone_two, reason: error }
`;

describe('security, against ivr serve as a process', () => {
  let api: FaultApi;
  let fixture: Fixture;
  let child: ChildServer;
  let port: number;
  let prompts: Map<string, string>;
  let recordsFile: string;
  let recordingsDir: string;

  before(async () => {
    api = await faultApi();
    fixture = await writeFixture({ 'secure.yaml': secureFlow(api.url), 'envcheck.yaml': envFlow(api.url), 'inject.yaml': injectFlow(api.url) }, RELIABILITY_PROMPTS);
    const loaded = await loadServingFlows([fixture.dir]);
    assert.ok(loaded.value, loaded.diagnostics.map((d) => d.message).join('\n'));
    prompts = promptIndex(loaded.value.prompts, [...loaded.value.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), FORMAT);
    recordsFile = join(fixture.dir, 'calls.jsonl');
    recordingsDir = join(fixture.dir, 'recordings');
    child = serveChild(
      [fixture.dir, '--port', '0', '--host', '127.0.0.1', '--records', recordsFile, '--recordings', recordingsDir, '--no-reload', '--log-level', 'debug', '--allow-env', 'BILLING_'],
      { BILLING_TOKEN: 'billing-ok', SECRET_TOKEN: SECRET },
    );
    port = await child.port;
  });
  after(async () => {
    if (child.alive()) {
      child.signal('SIGTERM');
      await child.exit;
    }
    await api.close();
    await fixture.cleanup();
  });

  const connect = (flow: string, options: { callId?: string; headers?: Record<string, string> } = {}): Promise<PlivoClient> =>
    PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/${flow}`, prompts, playback: 'realtime', ...options });

  test('sensitive digits reach the backend and nothing else: no log line, record, metric or error message', async () => {
    const c = await connect('secure', { callId: 'secure-call', headers: { note: 'a\n{"level":50,"msg":"forged"}' } });
    await c.nextPrompt();
    c.press(PIN);
    assert.deepEqual(await c.closed, { code: 1000, reason: 'error' }, 'every step failed: 500, reset, then the expression');
    assert.ok(api.requests.some((r) => r.url === `/500/${PIN}?pin=${PIN}`), 'the backend got the digits');
    assert.ok(api.requests.some((r) => r.url === `/reset/${PIN}`));

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    child.signal('SIGTERM');
    assert.equal(await child.exit, 0);
    const logFile = join(fixture.dir, 'serve.log');
    await writeFile(logFile, child.output());
    const everything = { logs: await readFile(logFile, 'utf8'), records: await readFile(recordsFile, 'utf8'), metrics };
    assert.ok(everything.logs.includes('secure-call') && everything.records.includes('secure-call'), 'the call is logged and recorded');
    assert.ok(/fetch failed/.test(everything.logs), 'the fetch errors are logged');
    for (const [where, text] of Object.entries(everything)) {
      // Not the PIN, nor any 7 of its digits in a row (shorter runs turn up in timestamps by chance).
      for (let i = 0; i + 7 <= PIN.length; i++) assert.ok(!text.includes(PIN.slice(i, i + 7)), `${where}: no part of the PIN (${PIN.slice(i, i + 7)})`);
      assert.ok(!text.includes(SECRET), `${where}: the secret does not appear`);
    }
    // One JSON object per line on stdout: the caller's newline did not forge a line.
    const lines = everything.logs.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(lines.length > 5);
    for (const line of lines) assert.notEqual((JSON.parse(line) as { msg?: string }).msg, 'forged');
  });
});

describe('injection and env, against ivr serve as a process', () => {
  let api: FaultApi;
  let fixture: Fixture;
  let child: ChildServer;
  let port: number;
  let prompts: Map<string, string>;
  let recordingsDir: string;

  before(async () => {
    api = await faultApi();
    fixture = await writeFixture({ 'envcheck.yaml': envFlow(api.url), 'inject.yaml': injectFlow(api.url) }, RELIABILITY_PROMPTS);
    const loaded = await loadServingFlows([fixture.dir]);
    assert.ok(loaded.value, loaded.diagnostics.map((d) => d.message).join('\n'));
    prompts = promptIndex(loaded.value.prompts, [...loaded.value.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), FORMAT);
    recordingsDir = join(fixture.dir, 'recordings');
    child = serveChild(
      [fixture.dir, '--port', '0', '--host', '127.0.0.1', '--records', join(fixture.dir, 'calls.jsonl'), '--recordings', recordingsDir, '--no-reload', '--allow-env', 'BILLING_'],
      { BILLING_TOKEN: 'billing-ok', SECRET_TOKEN: SECRET },
    );
    port = await child.port;
  });
  after(async () => {
    child.signal('SIGTERM');
    await child.exit;
    await api.close();
    await fixture.cleanup();
  });

  const connect = (flow: string, callId: string): Promise<PlivoClient> =>
    PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/${flow}`, prompts, playback: 'realtime', callId });

  test('env.NAME: an allow-listed name reaches the backend; any other is not there, and the call takes onError', async () => {
    const c = await connect('envcheck', 'env-call');
    assert.deepEqual(await c.closed, { code: 1000, reason: 'error' });
    const got = api.requests.filter((r) => r.path === 'ok');
    assert.equal(got.length, 1, 'the fetch with the hidden name was never sent');
    assert.equal(got[0]?.headers['x-billing'], 'billing-ok');
    assert.ok(!JSON.stringify(api.requests.map((r) => r.headers)).includes(SECRET));
    assert.ok(!child.output().includes(SECRET));
  });

  test('backend values cannot inject into URLs, tones, recording paths or log lines', async () => {
    const c = await connect('inject', '../../../tmp/evil\n');
    const tones = await c.next((f) => f.event === 'sendDTMF', 5000);
    assert.match(String(tones.json.dtmf), /^[0-9*#A-D]+$/, 'only 0-9*#A-D on the wire');
    assert.equal(tones.json.dtmf, '*2123*##');
    assert.equal((await c.closed).reason, 'transferred');

    const echo = api.requests.find((r) => r.path === 'echo');
    const e = encodeURIComponent;
    assert.equal(echo?.url, `/echo/${e(HOSTILE.name)}/${e(HOSTILE.line)}?q=${e(HOSTILE.name)}`, 'every value URL-encoded');

    const files = await readdir(recordingsDir);
    assert.equal(files.length, 1, `one recording: ${files.join(', ')}`);
    assert.match(files[0]!, /^[A-Za-z0-9-]+\.wav$/, 'named by the server');
    assert.deepEqual(await readdir(join(fixture.dir, '..')).then((names) => names.filter((n) => n.startsWith('evil'))), []);

    for (const line of child.output().split('\n').filter((l) => l.startsWith('{'))) assert.notEqual((JSON.parse(line) as { msg?: string }).msg, 'forged');
  });
});

describe('signatures replayed to another URL', () => {
  test('an /answer signature is refused on another flow, another query, another host', async () => {
    const token = 'replay-token';
    const publicUrl = 'https://ivr.example.com';
    const fixture = await writeFixture({ 'one.yaml': 'ivr: 1\nid: one\nnodes:\n  bye:\n    end: {}\n', 'two.yaml': 'ivr: 1\nid: two\nnodes:\n  bye:\n    end: {}\n' }, {});
    const s = await opsServe(fixture, { authToken: token, publicUrl });
    try {
      const sign = (url: string, nonce: string): Record<string, string> => ({
        'X-Plivo-Signature-V3': createHmac('sha256', token).update(`${url}.${nonce}`).digest('base64'),
        'X-Plivo-Signature-V3-Nonce': nonce,
      });
      const signed = sign(`${publicUrl}/answer/one`, '12345');
      assert.equal((await fetch(`${s.base}/answer/one`, { headers: signed })).status, 200);
      assert.equal((await fetch(`${s.base}/answer/two`, { headers: signed })).status, 403, 'another flow');
      assert.equal((await fetch(`${s.base}/answer/one?CallUUID=x`, { headers: signed })).status, 403, 'another query');
      assert.equal((await fetch(`${s.base}/answer/one`, { headers: sign('https://evil.example.com/answer/one', '12345') })).status, 403, 'another host');
      assert.equal((await fetch(`${s.base}/answer/one`, { headers: { ...signed, 'X-Plivo-Signature-V3-Nonce': '54321' } })).status, 403, 'another nonce');
    } finally {
      await s.close();
      await fixture.cleanup();
    }
  });
});
