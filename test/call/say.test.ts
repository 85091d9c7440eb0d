import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startCall } from '../../src/call/start-call.js';
import { compileFlow } from '../../src/compile/compile-flow.js';
import type { Command } from '../../src/compile/protocol.js';
import { SimClock } from '../../src/testing/sim-clock.js';
import { flowSet, loadedFlow } from '../compile/harness.js';
import { fakePrompts, type FakeSpeech } from './support/fake-prompts.js';
import { FrameTransport } from './support/frame-transport.js';
import { hangingFetcher, settle } from './support/harness.js';
import { isCommand } from '../../src/call/call-events.js';

const CLINIC = `
ivr: 1
id: clinic
settings: { languages: [en, es], sayTimeout: 2s }
onError: sorry
vars: { doctor: "Okafor" }
nodes:
  hello:
    play: [welcome, { say: "Your appointment is with Dr. {{ doctor }}." }, { number: "21" }]
    next: menu
  menu:
    menu:
      prompt: main_menu
      options:
        "2": { goto: menu, set: { language: "'es'" } }
        "3": { goto: menu, set: { language: "'fr'" } }
  sorry:
    end: { prompt: sorry, reason: error }
`;

/** A call of the clinic flow on the simulated clock, with a store that speaks as `speak` says. */
function clinicCall(speak: FakeSpeech, headers: Record<string, string> = {}) {
  const clock = new SimClock();
  const transport = new FrameTransport();
  const commands: Command[] = [];
  const flow = loadedFlow(CLINIC);
  const session = startCall({ call: { callId: 'c1', streamId: 's1', accountId: 'MA1', headers }, format: 'audio/x-mulaw;rate=8000' }, transport, {
    flow: compileFlow(flow, flowSet(flow)),
    prompts: fakePrompts({ welcome: 1000, main_menu: 2000, sorry: 500, 'number-20': 300, 'digit-1': 300, 'number-21': 400 }, speak),
    clock,
    fetcher: hangingFetcher,
    watchers: [() => (event) => {
      if (isCommand(event)) commands.push(event);
    }],
  });
  const plays = () => commands.filter((c): c is Extract<Command, { type: 'play' }> => c.type === 'play');
  return { clock, transport, session, commands, plays };
}

describe('say: speech synthesized at call time', () => {
  test('a cached text goes out at once, in order with the prompts around it, as one playback', () => {
    const call = clinicCall(() => 1500);
    // μ-law: 8 bytes per ms — welcome 1000 ms, the say 1500 ms, "twenty one" 300 + 300 ms.
    assert.deepEqual(call.transport.take(), ['playAudio 8000', 'playAudio 12000', 'playAudio 2400', 'playAudio 2400', 'checkpoint p1.1']);
    const play = call.plays()[0]!;
    assert.deepEqual(play.items[1], { say: 'Your appointment is with Dr. Okafor.', flow: 'clinic', language: 'en' });
    assert.equal(play.sayTimeoutMs, 2000);
  });

  test('speech still being synthesized holds the playback until it is ready, then sends it in order', async () => {
    let answer: (ms: number) => void = () => {};
    const call = clinicCall(() => new Promise<number>((resolve) => { answer = resolve; }));
    assert.deepEqual(call.transport.take(), [], 'nothing is sent before the speech is ready');
    answer(1500);
    await settle();
    assert.deepEqual(call.transport.take(), ['playAudio 8000', 'playAudio 12000', 'playAudio 2400', 'playAudio 2400', 'checkpoint p1.1']);
    call.session.played('p1.1');
    assert.equal(call.session.node, 'menu');
  });

  test('speech not ready within sayTimeout goes to onError, and nothing of that playback is sent', async () => {
    const call = clinicCall(() => new Promise<number>(() => {}));
    call.clock.advance(1999);
    await settle();
    assert.equal(call.session.node, 'hello');
    call.clock.advance(1);
    await settle();
    assert.equal(call.session.node, 'sorry');
    const log = call.commands.find((c) => c.type === 'log' && c.level === 'error');
    assert.match(log?.type === 'log' ? log.message : '', /say: speech not ready within 2000 ms \(sayTimeout\)/);
    // Only the sorry prompt (500 ms) went out.
    assert.deepEqual(call.transport.take(), ['playAudio 4000', 'checkpoint p2.1']);
  });

  test('a caller who hangs up while speech is synthesized gets nothing more, and no timer is left', async () => {
    let answer: (ms: number) => void = () => {};
    const call = clinicCall(() => new Promise<number>((resolve) => { answer = resolve; }));
    call.session.hangup();
    answer(1500);
    await settle();
    assert.deepEqual(call.transport.take(), []);
    assert.equal(call.clock.pending(), 0);
  });

  test('a synthesis failure goes to onError with the reason', async () => {
    const call = clinicCall(() => Promise.reject(new Error('eSpeak has no voice "xx"')));
    await settle();
    assert.equal(call.session.node, 'sorry');
    const log = call.commands.find((c) => c.type === 'log' && c.level === 'error');
    assert.match(log?.type === 'log' ? log.message : '', /say: eSpeak has no voice "xx"/);
  });
});

describe('per-call language', () => {
  test('a call starts in call.headers.lang when the flow lists it: prompts and numbers follow', () => {
    const call = clinicCall(() => 1000, { lang: 'es' });
    const items = call.plays()[0]!.items;
    assert.deepEqual(items.map((i) => ('prompt' in i ? i.prompt : 'say' in i ? 'say' : 'silence')), ['welcome', 'say', 'number-21']);
    assert.ok(items.every((i) => !('flow' in i) || i.language === 'es'));
  });

  test('an unlisted lang header is ignored: the default language', () => {
    const call = clinicCall(() => 1000, { lang: 'de' });
    assert.deepEqual(call.plays()[0]!.items.map((i) => ('language' in i ? i.language : '')), ['en', 'en', 'en', 'en']);
  });

  test('set: { language } switches the rest of the call', () => {
    const call = clinicCall(() => 1000);
    call.session.played('p1.1');
    call.session.dtmf('2');
    const last = call.plays().at(-1)!;
    assert.deepEqual(last.items, [{ prompt: 'main_menu', flow: 'clinic', language: 'es' }]);
  });

  test('setting a language the flow does not speak is a runtime error (onError)', () => {
    const call = clinicCall(() => 1000);
    call.session.played('p1.1');
    call.session.dtmf('3');
    assert.equal(call.session.node, 'sorry');
    const log = call.commands.find((c) => c.type === 'log' && c.level === 'error');
    assert.match(log?.type === 'log' ? log.message : '', /language "fr" is not one of the flow's languages \(en, es\)/);
  });
});
