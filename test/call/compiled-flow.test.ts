/**
 * The session driving a real compiled flow: YAML on disk -> loadFlows -> compileFlowSet ->
 * loadPromptStore -> startCall, with a loopback HTTP server, WAV files on disk and SimClock.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import alawmulaw from 'alawmulaw';
import { encodeWav } from '../../src/audio/pcm.js';
import { loadPromptStore } from '../../src/audio/prompt-store.js';
import type { PromptStore } from '../../src/audio/types.js';
import { startCall } from '../../src/call/start-call.js';
import { httpFetcher } from '../../src/call/http-fetcher.js';
import { fileRecordingSink } from '../../src/call/recording-sink.js';
import type { CallLog } from '../../src/call/call-log.js';
import { compileFlow, compileFlowSet } from '../../src/compile/index.js';
import type { CompiledFlow } from '../../src/compile/compiled-flow.js';
import type { Command, PlayItem } from '../../src/compile/protocol.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import type { FlowSet } from '../../src/flow/loaded-flow.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { decodeWav } from '../../src/audio/wav.js';
import { SimClock } from '../../src/testing/sim-clock.js';
import { CALL } from './support/harness.js';
import { FrameTransport } from './support/frame-transport.js';
import { json, loopbackServer, until } from './support/http-server.js';

const FLOW = `
ivr: 1
id: line
vars:
  api: ""
  balance: 0.0
  message: ""
nodes:
  greet:
    play: welcome
    next: menu
  menu:
    menu:
      prompt: menu
      options:
        "1": lookup
        "2": voicemail
      noInput: { max: 1, then: bye }
  lookup:
    fetch:
      url: "{{ api }}/accounts/42"
      set: { balance: "response.body.balance" }
    onError: bye
    next: say
  say:
    play: [{ number: balance }]
    next: bye
  voicemail:
    record: { into: message, maxDuration: 10s, silenceTimeout: 3s }
    next: bye
  bye:
    end: { prompt: bye, reason: done }
`;

/** Prompt lengths in ms; written as PCM16 8 kHz WAVs. */
const PROMPTS = { welcome: 500, menu: 1000, bye: 300 };

const root = mkdtempSync(join(tmpdir(), 'ivr-call-flow-'));
let flow: CompiledFlow;
let loadedSet: FlowSet;
let prompts: PromptStore;
let api: Awaited<ReturnType<typeof loopbackServer>>;

before(async () => {
  mkdirSync(join(root, 'flows', 'prompts'), { recursive: true });
  writeFileSync(join(root, 'flows', 'line.yaml'), FLOW);
  for (const [name, ms] of Object.entries(PROMPTS)) {
    const samples = new Int16Array(ms * 8).fill(1000);
    writeFileSync(join(root, 'flows', 'prompts', `${name}.wav`), encodeWav(samples, 8000));
  }
  const set = await loadFlows([join(root, 'flows')]);
  const loaded = set.flows.get('line');
  assert.ok(loaded, 'the flow loads');
  assert.ok(!hasErrors(loaded.diagnostics), JSON.stringify(loaded.diagnostics));
  const compiled = compileFlowSet(set).get('line');
  assert.ok(compiled);
  flow = compiled;
  loadedSet = set;
  const store = await loadPromptStore(set.flows.values());
  assert.deepEqual(store.diagnostics, []);
  prompts = store.store;
  api = await loopbackServer({ '/accounts/42': (_req, res) => json(res, 200, { balance: 42.5 }) });
});
after(async () => {
  await api.close();
  rmSync(root, { recursive: true, force: true });
});

function call() {
  const clock = new SimClock();
  const transport = new FrameTransport();
  const commands: Command[] = [];
  const session = startCall({ call: CALL, format: 'audio/x-mulaw;rate=8000' }, transport, {
    flow,
    prompts,
    clock,
    fetcher: httpFetcher,
    recordings: fileRecordingSink(join(root, 'recordings')),
    vars: { api: api.url },
    watchers: [() => (event) => {
      if (event.type === 'play') commands.push(event);
    }],
  });
  /** Names of the prompts played since the last call. */
  const played = (): string[] =>
    commands
      .splice(0)
      .filter((c): c is Extract<Command, { type: 'play' }> => c.type === 'play')
      .flatMap((c) => c.items.map((i: PlayItem) => ('prompt' in i ? i.prompt : 'say' in i ? `say ${i.say}` : `silence ${i.silenceMs}`)));
  /** Acknowledge the one pending checkpoint, as Plivo would. */
  const ack = (): void => {
    const name = transport.checkpoints().at(-1);
    assert.ok(name, 'a checkpoint is pending');
    transport.frames.length = 0;
    session.played(name);
  };
  return { clock, transport, session, played, ack };
}

describe('a compiled flow over the call session', () => {
  test("the first call of a flow version builds its machine and logs how long it took; the next call does not", () => {
    const fresh = compileFlow(loadedSet.flows.get('line')!, loadedSet);
    const lines: { msg: string; fields: Record<string, unknown> }[] = [];
    const log: CallLog = { info: (fields, msg) => lines.push({ msg, fields: fields as Record<string, unknown> }), warn: () => {}, error: () => {} };
    const start = () => startCall({ call: CALL, format: 'audio/x-mulaw;rate=8000' }, new FrameTransport(), { flow: fresh, prompts, clock: new SimClock(), fetcher: httpFetcher, recordings: fileRecordingSink(join(root, 'recordings')), vars: { api: 'http://127.0.0.1:9' }, log });
    assert.equal(fresh.built, false);
    start().hangup();
    assert.equal(fresh.built, true);
    start().hangup();
    const built = lines.filter((l) => l.msg === 'machine built');
    assert.equal(built.length, 1);
    assert.deepEqual([built[0]!.fields.flow, built[0]!.fields.version], ['line', fresh.version]);
    assert.equal(typeof built[0]!.fields.buildMs, 'number');
    assert.equal(lines.filter((l) => l.msg === 'call started').length, 2);
  });

  test('prompts, a key, a fetch over HTTP, a number read out, and the end', async () => {
    const { session, transport, played, ack, clock } = call();
    assert.equal(session.node, 'greet');
    assert.deepEqual(played(), ['welcome']);
    assert.deepEqual(transport.take(), ['playAudio 4000', 'checkpoint p1.1'], 'welcome: 500 ms of μ-law');
    session.played('p1.1');
    assert.deepEqual(played(), ['menu']);
    ack();
    session.dtmf('1');
    await until(() => session.node === 'say', 'the fetch answer to reach the flow');
    assert.equal(session.vars().balance, 42.5);
    assert.deepEqual(played(), ['number-40', 'digit-2', 'point', 'digit-5']);
    ack();
    assert.deepEqual(played(), ['bye']);
    ack();
    assert.deepEqual(transport.closed, { code: 1000, reason: 'done' });
    const summary = await session.done;
    assert.deepEqual(summary.nodes, ['greet', 'menu', 'lookup', 'say', 'bye']);
    assert.deepEqual(summary.fetches.map((f) => [f.url, f.outcome, f.status]), [[`${api.url}/accounts/42`, 'ok', 200]]);
    assert.equal(clock.pending(), 0);
  });

  test('voicemail: the beep, the caller speaking, # to finish, and the path in the flow variable', async () => {
    const { session, ack, clock, transport, played } = call();
    ack();
    ack();
    played();
    session.dtmf('2');
    assert.equal(session.node, 'voicemail');
    assert.deepEqual(played(), ['beep']);
    assert.deepEqual(transport.frames.map((f) => f.event), ['playAudio', 'checkpoint'], 'the beep, with its own checkpoint');
    const tone = new Int16Array(160).map((_, i) => Math.round(8000 * Math.sin(i / 3)));
    // The caller's line while the beep plays is not part of the message.
    for (let i = 0; i < 10; i++) {
      session.media(Buffer.from(alawmulaw.mulaw.encode(tone)));
      clock.advance(20);
    }
    assert.equal(session.mediaGate.open, false, 'nothing is captured before the beep has played');
    ack();
    await until(() => session.mediaGate.open, 'the recording to start');
    for (let i = 0; i < 100; i++) {
      session.media(Buffer.from(alawmulaw.mulaw.encode(tone)));
      clock.advance(20);
    }
    session.dtmf('#');
    await until(() => session.node === 'bye', 'the recording to be saved');
    const path = session.vars().message;
    assert.equal(typeof path, 'string');
    assert.ok(existsSync(path as string));
    const wav = decodeWav(readFileSync(path as string));
    assert.ok(wav.ok);
    assert.equal(wav.wav.samples.length, 16_000, '2 s of audio at 8 kHz');
  });

  test('with no playedStream at all the flow still moves on, each prompt after its duration plus the grace', () => {
    const { session, clock } = call();
    clock.advance(500 + 2000 - 1);
    assert.equal(session.node, 'greet');
    clock.advance(1);
    assert.equal(session.node, 'menu');
  });

  test('the menu timeout counts from the end of its prompt, then the flow says goodbye', async () => {
    const { session, clock, ack, played } = call();
    ack();
    ack();
    played();
    clock.advance(4999);
    assert.equal(session.node, 'menu');
    clock.advance(1);
    assert.equal(session.node, 'bye');
    assert.deepEqual(played(), ['bye']);
  });

  test('hanging up in the middle of a menu leaves no timer behind', async () => {
    const { session, clock, ack, transport } = call();
    ack();
    assert.ok(clock.pending() > 0);
    session.hangup();
    assert.equal(clock.pending(), 0);
    assert.equal(transport.closed, undefined);
    assert.equal((await session.done).endReason, 'hangup');
  });
});
