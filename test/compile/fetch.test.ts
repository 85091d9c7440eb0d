import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FetchError } from '../../src/compile/fetch-failure.js';
import { Call, flush } from './harness.js';

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
  test('renders the request, plays the wait prompt, clears it on the answer and sets variables', async () => {
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
    await flush();
    assert.equal(call.fetches.length, 1);
    assert.deepEqual(call.fetches[0]!.request, fetch.request, 'the fetch actor is invoked with the rendered request');
    call.fetches[0]!.answer({ status: 200, headers: {}, body: { balance: 42.5 } });
    await flush();
    assert.deepEqual(call.log(), ['clear', 'node:say', 'play:number-40,digit-2,point,digit-5']);
    assert.equal(call.vars.balance, 42.5);
    const fetched = call.last('fetched')!;
    assert.deepEqual({ ...fetched }, { type: 'fetched', requestId: fetch.requestId, method: 'POST', url: fetch.shown, outcome: 'ok', status: 200, ms: 0, attempts: 1 });
  });

  test('no clear when the wait prompt already finished; keys during a fetch are ignored', async () => {
    const call = Call.of(FETCH);
    await flush();
    call.played().take();
    call.press('5');
    assert.deepEqual(call.take().map((c) => (c.type === 'key' ? `key:${c.key}:${c.acted}` : c.type)), ['key:5:false', 'log']);
    call.fetches[0]!.answer({ status: 200, headers: {}, body: { balance: 1 } });
    await flush();
    assert.deepEqual(call.log(), ['node:say', 'play:digit-1']);
  });

  test('fetch failure goes to onError (node first, then flow), clearing the wait prompt', async () => {
    const call = Call.of(FETCH);
    await flush();
    call.take();
    // retries: 1 — a 5xx is tried again, and the second failure is the node's.
    call.fetches[0]!.fail(new FetchError('status', 'HTTP 503', 503));
    await flush();
    assert.deepEqual(call.log(), [], 'the retry is silent');
    assert.equal(call.fetches.length, 2);
    call.fetches[1]!.fail(new FetchError('status', 'HTTP 503', 503));
    await flush();
    assert.deepEqual(call.log(), ['clear', 'log:error:fetch failed: status 503: HTTP 503', 'node:sorry', 'end:sorry']);
    assert.equal(call.last('fetched')?.attempts, 2);
    const own = Call.of(FETCH.replace('    next: say', '    next: say\n    onError: operator'));
    await flush();
    own.fetches[0]!.fail(new FetchError('timeout', 'timed out'));
    await flush();
    own.fetches[1]!.fail(new FetchError('timeout', 'timed out'));
    await flush();
    assert.equal(own.lastNode(), 'operator');
  });

  test('a 4xx or invalid JSON is not retried; anything but a FetchError counts as a network failure', async () => {
    for (const [error, message] of [
      [new FetchError('status', 'HTTP 404', 404), 'fetch failed: status 404: HTTP 404'],
      [new FetchError('invalid-json', 'response is not valid JSON'), 'fetch failed: invalid-json: response is not valid JSON'],
    ] as const) {
      const call = Call.of(FETCH);
      await flush();
      call.take();
      call.fetches[0]!.fail(error);
      await flush();
      assert.equal(call.fetches.length, 1, message);
      assert.deepEqual(call.log(), ['clear', `log:error:${message}`, 'node:sorry', 'end:sorry']);
    }
    const call = Call.of(FETCH);
    await flush();
    call.fetches[0]!.fail(new Error('socket hang up'));
    await flush();
    assert.equal(call.fetches.length, 2, 'a network failure is retried');
  });

  test('an answer to an attempt the machine has left is ignored', async () => {
    const call = Call.of(FETCH);
    await flush();
    call.played().take();
    call.wait(2000);
    await flush();
    assert.equal(call.fetches.length, 2, 'the first attempt timed out: a second one started');
    assert.equal(call.fetches[0]!.signal.aborted, true, 'the first attempt was aborted');
    call.fetches[0]!.answer({ status: 200, headers: {}, body: { balance: 7 } });
    call.fetches[0]!.fail(new Error('late'));
    await flush();
    assert.deepEqual(call.log(), []);
    call.fetches[1]!.answer({ status: 200, headers: {}, body: { balance: 1 } });
    await flush();
    assert.deepEqual(call.log(), ['node:say', 'play:digit-1']);
    assert.equal(call.vars.balance, 1);
  });

  test('a response without the expected field is a runtime error routed to onError', async () => {
    const call = Call.of(FETCH);
    await flush();
    call.fetches[0]!.answer({ status: 200, headers: {}, body: {} });
    await flush();
    assert.equal(call.lastNode(), 'sorry');
  });

  test('each attempt times out on the machine clock; a fetch never answered fails after (retries + 1) timeouts', async () => {
    const call = Call.of(FETCH);
    await flush();
    call.played().take();
    call.wait(1999);
    await flush();
    assert.equal(call.fetches.length, 1);
    call.wait(1);
    await flush();
    assert.equal(call.fetches.length, 2, 'a timed-out attempt is retried at once');
    call.wait(1999);
    await flush();
    assert.deepEqual(call.log(), []);
    call.wait(1);
    await flush();
    assert.equal(call.fetches[1]!.signal.aborted, true, 'the last attempt was aborted');
    assert.deepEqual(call.log(), ['log:error:fetch failed: timeout: no answer within 2000 ms', 'node:sorry', 'end:sorry']);
    assert.deepEqual({ ...call.last('fetched'), requestId: 0, url: '' }, { type: 'fetched', requestId: 0, method: 'POST', url: '', outcome: 'timeout', ms: 4000, attempts: 2 });
    assert.equal(call.clock.pending(), 0);
  });
});
