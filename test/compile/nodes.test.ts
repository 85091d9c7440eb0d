import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call, flowSet, loadedFlow } from './harness.js';
import { flowMachineConfig } from '../../src/compile/index.js';
import type { Command } from '../../src/compile/protocol.js';

const lastOf = <T extends Command['type']>(call: Call, type: T) =>
  [...call.commands].reverse().find((c) => c.type === type) as Extract<Command, { type: T }> | undefined;

describe('prompt items', () => {
  test('digits, numbers and silence become system prompt names and silences, evaluated when played', () => {
    const call = Call.of(`
ivr: 1
vars: { rx: "12a3", balance: 0.0 }
nodes:
  fill: { set: { balance: "42.5" }, next: say }
  say: { play: [balance_is, { number: "balance" }, { silence: 500ms }, { digits: "rx" }], next: done }
  done: { end: {} }
`);
    const play = lastOf(call, 'play');
    assert.deepEqual(play?.items, [
      { prompt: 'balance_is', flow: 'test' },
      { prompt: 'number-40', flow: 'test' }, { prompt: 'digit-2', flow: 'test' }, { prompt: 'point', flow: 'test' }, { prompt: 'digit-5', flow: 'test' },
      { silenceMs: 500 },
      { prompt: 'digit-1', flow: 'test' }, { prompt: 'digit-2', flow: 'test' }, { prompt: 'digit-3', flow: 'test' },
    ]);
    assert.ok(call.commands.some((c) => c.type === 'log' && c.level === 'warn' && /skipped 1 character/.test(c.message)));
  });

  test('playback ids are unique and increasing, and a stale playback.finished is ignored', () => {
    const call = Call.of(`
ivr: 1
nodes:
  a: { play: one, next: b }
  b: { play: two, next: done }
  done: { end: {} }
`);
    const first = lastOf(call, 'play')!;
    call.send({ type: 'playback.finished', playbackId: first.playbackId });
    const second = lastOf(call, 'play')!;
    assert.ok(second.playbackId > first.playbackId);
    call.take();
    call.send({ type: 'playback.finished', playbackId: first.playbackId });
    assert.deepEqual(call.log(), []);
    call.send({ type: 'playback.finished', playbackId: second.playbackId });
    assert.deepEqual(call.log(), ['node:done', 'end:completed']);
  });
});

describe('branch and set', () => {
  const FLOW = `
ivr: 1
vars: { n: 1, label: "" }
onError: sorry
nodes:
  start: { set: { n: "n + 1", label: "'n=' + string(n)" }, next: pick }
  pick:
    branch:
      - { if: "n > 5", goto: big }
      - { if: "n == 2", goto: two, set: { label: "label + '!'" } }
      - { goto: other }
  big: { end: { reason: big } }
  two: { end: { reason: two } }
  other: { end: { reason: other } }
  sorry: { end: { reason: sorry } }
`;
  test('set assigns in order, each seeing the previous results; branch takes the first case that holds', () => {
    const call = Call.of(FLOW);
    assert.deepEqual(call.log(), ['node:start', 'node:pick', 'node:two', 'end:two']);
    assert.deepEqual(call.vars, { n: 2, label: 'n=2!' });
  });

  test('the default case applies when no other holds; input vars override the flow vars', () => {
    const call = Call.of(FLOW, { vars: { n: 10 } });
    assert.equal(call.lastNode(), 'big');
    const other = Call.of(FLOW, { vars: { n: 3 } });
    assert.equal(other.lastNode(), 'other');
  });

  test('an expression that fails at run time goes to onError with an error log', () => {
    const call = Call.of(FLOW.replace('"n + 1"', '"n / 0"'));
    assert.deepEqual(call.log().filter((l) => !l.startsWith('log')), ['node:start', 'node:sorry', 'end:sorry']);
    assert.ok(call.commands.some((c) => c.type === 'log' && c.level === 'error' && c.node === 'start'));
  });

  test('now follows the simulated clock', () => {
    const call = Call.of(`
ivr: 1
nodes:
  hours: { branch: [{ if: "now.getHours('UTC') == 9", goto: open }, { goto: closed }] }
  open: { end: { reason: open } }
  closed: { end: { reason: closed } }
`);
    assert.equal(lastOf(call, 'end')?.reason, 'open'); // SimClock starts on a Monday at 09:00 UTC
  });

  test('without any onError a runtime error ends the call with reason error', () => {
    const call = Call.of(FLOW.replace('onError: sorry\n', '').replace('"n + 1"', '"n / 0"'));
    assert.equal(lastOf(call, 'end')?.reason, 'error');
    assert.equal(call.done, true);
  });
});

const FETCH = `
ivr: 1
vars: { account: "a/b c", balance: 0.0 }
onError: sorry
nodes:
  lookup:
    fetch:
      url: "https://billing.example.com/accounts/{{ account }}"
      method: POST
      headers: { X-Account: "{{ account }}" }
      body: { account: "{{ account }}", n: 1 }
      timeout: 2s
      retries: 1
      prompt: one_moment
      set: { balance: "response.body.balance" }
    next: say
  say: { play: [{ number: "balance" }], next: done }
  done: { end: {} }
  sorry: { end: { reason: sorry } }
  operator: { end: { reason: operator } }
`;

describe('fetch', () => {
  test('renders the request, plays the wait prompt, clears it on the answer and sets variables', () => {
    const call = Call.of(FETCH);
    const fetch = lastOf(call, 'fetch')!;
    assert.deepEqual(fetch.request, {
      method: 'POST',
      url: 'https://billing.example.com/accounts/a%2Fb%20c',
      headers: { 'X-Account': 'a/b c' },
      body: { account: 'a/b c', n: 1 },
      timeoutMs: 2000,
      retries: 1,
    });
    assert.deepEqual(call.log(), ['node:lookup', 'fetch:POST https://billing.example.com/accounts/a%2Fb%20c', 'play:one_moment']);
    call.send({ type: 'fetch.done', requestId: fetch.requestId, response: { status: 200, headers: {}, body: { balance: 42.5 } } });
    assert.deepEqual(call.log(), ['clear', 'node:say', 'play:number-40,digit-2,point,digit-5']);
    assert.equal(call.vars.balance, 42.5);
  });

  test('no clear when the wait prompt already finished; keys during a fetch are ignored', () => {
    const call = Call.of(FETCH);
    const fetch = lastOf(call, 'fetch')!;
    call.played().take();
    call.press('5');
    assert.deepEqual(call.take().map((c) => c.type), ['log']);
    call.send({ type: 'fetch.done', requestId: fetch.requestId, response: { status: 200, headers: {}, body: { balance: 1 } } });
    assert.deepEqual(call.log(), ['node:say', 'play:digit-1']);
  });

  test('fetch failure goes to onError (node first, then flow), clearing the wait prompt', () => {
    const call = Call.of(FETCH);
    const fetch = lastOf(call, 'fetch')!;
    call.take();
    call.send({ type: 'fetch.failed', requestId: fetch.requestId, error: 'status', status: 503, message: 'HTTP 503' });
    assert.deepEqual(call.log(), ['clear', 'log:error:fetch failed: status 503: HTTP 503', 'node:sorry', 'end:sorry']);
    const own = Call.of(FETCH.replace('    next: say', '    next: say\n    onError: operator'));
    own.send({ type: 'fetch.failed', requestId: lastOf(own, 'fetch')!.requestId, error: 'timeout', message: 'timed out' });
    assert.equal(own.lastNode(), 'operator');
  });

  test('answers with a stale request id are ignored', () => {
    const call = Call.of(FETCH);
    const fetch = lastOf(call, 'fetch')!;
    call.take();
    call.send({ type: 'fetch.done', requestId: fetch.requestId + 7, response: { status: 200, headers: {}, body: {} } });
    call.send({ type: 'fetch.failed', requestId: fetch.requestId - 1, error: 'network', message: 'x' });
    assert.deepEqual(call.log(), []);
  });

  test('a response without the expected field is a runtime error routed to onError', () => {
    const call = Call.of(FETCH);
    call.send({ type: 'fetch.done', requestId: lastOf(call, 'fetch')!.requestId, response: { status: 200, headers: {}, body: {} } });
    assert.equal(call.lastNode(), 'sorry');
  });

  test('the machine-side safety timer fails a fetch the runtime never answered', () => {
    const call = Call.of(FETCH);
    call.played().take();
    call.wait(2000 * 2 + 999);
    assert.deepEqual(call.log(), []);
    call.wait(1);
    assert.deepEqual(call.log().filter((l) => !l.startsWith('log')), ['node:sorry', 'end:sorry']);
  });
});

describe('transfer', () => {
  const TRANSFER = `
ivr: 1
vars: { ext: "100" }
nodes:
  operator:
    transfer: { prompt: transferring, dtmf: "*2{{ ext }}#" }
`;
  test('plays the prompt, sends the tones, waits 250 ms per tone, then ends with reason transferred', () => {
    const call = Call.of(TRANSFER);
    assert.deepEqual(call.log(), ['node:operator', 'play:transferring']);
    call.press('1'); // ignored: the caller's keys are never forwarded
    call.played();
    assert.deepEqual(call.log(), ['sendDtmf:*2100#']);
    call.wait(6 * 250 - 1);
    assert.deepEqual(call.log(), []);
    call.wait(1);
    assert.deepEqual(call.log(), ['end:transferred']);
  });

  test('only DTMF characters leave the engine', () => {
    const call = Call.of(TRANSFER, { vars: { ext: '1,2;w3' } });
    call.played();
    assert.equal(lastOf(call, 'sendDtmf')?.digits, '*2123#');
    assert.ok(call.commands.some((c) => c.type === 'log' && c.level === 'warn' && /dropped 3/.test(c.message)));
  });

  test('an explicit settle and next are honoured', () => {
    const call = Call.of(TRANSFER.replace('dtmf: "*2{{ ext }}#" }', 'dtmf: "1", settle: 2s }\n    next: after') + '  after: { end: { reason: after } }\n');
    call.played().wait(1999);
    assert.equal(call.done, false);
    call.wait(1);
    assert.equal(lastOf(call, 'end')?.reason, 'after');
  });
});

describe('record', () => {
  const RECORD = `
ivr: 1
vars: { voicemail: "" }
onError: sorry
nodes:
  leave:
    record: { prompt: after_the_beep, maxDuration: 30s, silenceTimeout: 4s, into: voicemail }
    next: thanks
  thanks: { end: { reason: thanks } }
  sorry: { end: { reason: sorry } }
`;
  test('starts after the prompt, stops on the terminator and stores the path', () => {
    const call = Call.of(RECORD);
    call.played();
    const start = lastOf(call, 'record.start')!;
    assert.deepEqual(start, { type: 'record.start', requestId: start.requestId, beep: true, maxDurationMs: 30_000, silenceTimeoutMs: 4000 });
    call.take();
    call.press('5#');
    assert.deepEqual(call.log(), ['record.stop']);
    call.send({ type: 'record.done', requestId: start.requestId, path: '/rec/x.wav', durationMs: 1000, reason: 'terminator' });
    assert.equal(call.vars.voicemail, '/rec/x.wav');
    assert.equal(call.lastNode(), 'thanks');
  });

  test('a failed recording goes to onError; a runaway one is stopped by the safety timer', () => {
    const failed = Call.of(RECORD);
    failed.played();
    failed.send({ type: 'record.failed', requestId: lastOf(failed, 'record.start')!.requestId, message: 'disk full' });
    assert.equal(failed.lastNode(), 'sorry');
    const runaway = Call.of(RECORD);
    runaway.played().take();
    runaway.wait(32_000);
    assert.deepEqual(runaway.log(), ['record.stop']);
    runaway.wait(5000);
    assert.equal(runaway.lastNode(), 'sorry');
  });
});

describe('subflow', () => {
  const PARENT = `
ivr: 1
id: main
vars: { rx: "1234", confirmed: false }
nodes:
  ask: { subflow: { flow: confirm, input: { what: "rx" }, output: { confirmed: "answer == 'yes'" } }, next: done }
  done: { end: { reason: done } }
`;
  const CHILD = `
ivr: 1
id: confirm
vars: { what: "", answer: "" }
nodes:
  q: { menu: { prompt: [you_said, { digits: "what" }], options: { "1": yes, "2": no } } }
  yes: { set: { answer: "'yes'" }, next: back }
  no: { set: { answer: "'no'" }, next: back }
  back: { return: {} }
`;
  test('subflow returns output into the parent and continues with next', () => {
    const call = Call.of(PARENT, { others: [CHILD] });
    assert.deepEqual(call.log(), ['node:ask', 'node:q', 'play:you_said,digit-1,digit-2,digit-3,digit-4']);
    assert.equal(lastOf(call, 'node')?.flow, 'confirm');
    assert.deepEqual((lastOf(call, 'play')!.items[0]), { prompt: 'you_said', flow: 'confirm' });
    call.played().press('1');
    assert.deepEqual(call.log(), ['input:match:1', 'node:yes', 'node:back', 'node:done', 'end:done']);
    assert.deepEqual(call.vars, { rx: '1234', confirmed: true });
  });

  test('a missing subflow is a runtime error routed to onError', () => {
    const call = Call.of(PARENT);
    assert.equal(lastOf(call, 'end')?.reason, 'error');
  });

  test('a recursive subflow is refused at compile time and fails at run time', () => {
    const call = Call.of(PARENT, { others: [CHILD.replace('back: { return: {} }', 'back: { subflow: { flow: confirm } }')] });
    call.played().press('1');
    assert.equal(lastOf(call, 'end')?.reason, 'error');
    assert.ok(call.commands.some((c) => c.type === 'log' && /recursive subflow/.test(c.message)));
  });
});

describe('the call as a whole', () => {
  const SIMPLE = `
ivr: 1
settings: { maxCallDuration: 10m }
nodes:
  menu: { menu: { prompt: main_menu, options: { "1": done } } }
  done: { end: { prompt: goodbye } }
`;
  test('maxCallDuration ends the call', () => {
    const call = Call.of(SIMPLE);
    call.take();
    call.wait(10 * 60_000 - 1);
    assert.equal(call.done, false);
    call.wait(1);
    assert.deepEqual(call.log(), ['end:max-call-duration']);
    assert.equal(call.done, true);
    assert.equal(call.clock.pending(), 0);
  });

  test('hangup stops all timers and emits nothing', () => {
    const call = Call.of(SIMPLE);
    call.played();
    assert.ok(call.clock.pending() >= 2);
    call.take();
    call.send({ type: 'hangup' });
    assert.deepEqual(call.take(), []);
    assert.equal(call.done, true);
    assert.equal(call.clock.pending(), 0);
    call.press('1').wait(60 * 60_000);
    assert.deepEqual(call.take(), []);
  });

  test('the end prompt never barges in and end is the last command', () => {
    const call = Call.of(SIMPLE);
    call.played().press('1').take();
    call.press('1');
    assert.deepEqual(call.log(), []);
    call.played();
    assert.deepEqual(call.log(), ['end:completed']);
    call.press('1').played().wait(60_000);
    assert.deepEqual(call.take(), []);
  });

  test('return in a top-level flow behaves like end', () => {
    const call = Call.of('ivr: 1\nnodes:\n  r: { return: {} }\n');
    assert.deepEqual(call.log(), ['node:r', 'end:completed']);
  });

  test('the compiled machine is shared: two actors of one machine do not interfere', () => {
    const one = Call.of(SIMPLE);
    const two = new Call(one.actor.logic as never);
    one.played().press('1');
    assert.equal(one.lastNode(), 'done');
    assert.equal(two.lastNode(), 'menu');
    two.played().wait(5000);
    assert.deepEqual(two.log().slice(-2), ['input:noInput:', 'play:main_menu']);
    assert.equal(one.commands.filter((c) => c.type === 'input').length, 1);
  });

  test('the machine config is plain JSON data', () => {
    const flow = loadedFlow(SIMPLE);
    const { config } = flowMachineConfig(flow, flowSet(flow));
    assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
  });
});
