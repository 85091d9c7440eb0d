import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from './harness.js';

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
    const fetch = call.last('fetch')!;
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
    const fetch = call.last('fetch')!;
    call.played().take();
    call.press('5');
    assert.deepEqual(call.take().map((c) => (c.type === 'key' ? `key:${c.key}:${c.acted}` : c.type)), ['key:5:false', 'log']);
    call.send({ type: 'fetch.done', requestId: fetch.requestId, response: { status: 200, headers: {}, body: { balance: 1 } } });
    assert.deepEqual(call.log(), ['node:say', 'play:digit-1']);
  });

  test('fetch failure goes to onError (node first, then flow), clearing the wait prompt', () => {
    const call = Call.of(FETCH);
    const fetch = call.last('fetch')!;
    call.take();
    call.send({ type: 'fetch.failed', requestId: fetch.requestId, error: 'status', status: 503, message: 'HTTP 503' });
    assert.deepEqual(call.log(), ['clear', 'log:error:fetch failed: status 503: HTTP 503', 'node:sorry', 'end:sorry']);
    const own = Call.of(FETCH.replace('    next: say', '    next: say\n    onError: operator'));
    own.send({ type: 'fetch.failed', requestId: own.last('fetch')!.requestId, error: 'timeout', message: 'timed out' });
    assert.equal(own.lastNode(), 'operator');
  });

  test('answers with a stale request id are ignored', () => {
    const call = Call.of(FETCH);
    const fetch = call.last('fetch')!;
    call.take();
    call.send({ type: 'fetch.done', requestId: fetch.requestId + 7, response: { status: 200, headers: {}, body: {} } });
    call.send({ type: 'fetch.failed', requestId: fetch.requestId - 1, error: 'network', message: 'x' });
    assert.deepEqual(call.log(), []);
  });

  test('a response without the expected field is a runtime error routed to onError', () => {
    const call = Call.of(FETCH);
    call.send({ type: 'fetch.done', requestId: call.last('fetch')!.requestId, response: { status: 200, headers: {}, body: {} } });
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
