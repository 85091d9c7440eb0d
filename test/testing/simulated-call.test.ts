import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareFlows } from '../../src/pipeline/prepare-flows.js';
import { SimulatedCall } from '../../src/testing/simulated-call.js';
import { CannedFetcher } from '../../src/testing/canned-fetcher.js';
import type { CompiledFlow } from '../../src/compile/compiled-flow.js';
import type { PromptStore } from '../../src/audio/types.js';

const FIXTURE = 'test/testing/fixtures/small';

async function smallCall(fetch?: Record<string, { status: number; body?: unknown }>): Promise<SimulatedCall> {
  const { value: prepared, diagnostics } = await prepareFlows([FIXTURE]);
  const flow = prepared.compiled.get('small');
  assert.ok(flow, JSON.stringify(diagnostics));
  return SimulatedCall.start(fetch ? { flow, prompts: prepared.prompts, fetch } : { flow, prompts: prepared.prompts });
}

describe('a simulated call', () => {
  test('played acknowledges the pending checkpoint, and the flow moves on', async () => {
    const call = await smallCall();
    assert.deepEqual(call.take().plays, ['welcome']);
    assert.equal(call.hasPendingCheckpoints, true);
    await call.played();
    const observed = call.take();
    assert.deepEqual([observed.nodes, observed.plays], [['main'], ['main_menu']]);
  });

  test('a wait fires timers in time order, each at its own time', async () => {
    const call = await smallCall();
    await call.played();
    call.take();
    // The menu prompt is never acknowledged: its fallback (duration + 2 s grace) counts it heard,
    // then the 5 s no-input timeout runs.
    await call.wait(7_000);
    assert.equal(call.take().plays.length, 0);
    await call.wait(1_000);
    assert.deepEqual(call.take().plays, ['no_input', 'main_menu']);
    const decided = call.transcript.find((t) => t.text === 'main decided noInput');
    assert.ok(decided && decided.at > 7_000 && decided.at < 8_000, JSON.stringify(decided));
  });

  test('a call that ended leaves no timer behind on the simulated clock', async () => {
    const call = await smallCall();
    await call.press('0');
    await call.played();
    await call.wait(60_000);
    assert.equal(call.ended, 'transferred');
    assert.equal(call.timersPending, 0);
  });

  test('fetchFails with no fetch pending says so', async () => {
    const call = await smallCall();
    assert.equal(await call.fetchFails('timeout'), false);
  });

  test('a network failure routes the call to onError', async () => {
    const call = await smallCall();
    await call.played();
    await call.press('2');
    assert.equal(call.hasPendingFetch, true);
    assert.equal(await call.fetchFails('network'), true);
    assert.equal(call.node, 'sorry');
    assert.deepEqual(call.trace.filter((e) => e.type === 'error').length > 0, true);
  });

  test('calls of one flow run the machine serve runs, never a provided copy, and each gets its own canned answers', async (t) => {
    const { value: prepared } = await prepareFlows([FIXTURE]);
    const flow = prepared.compiled.get('small')!;
    // Any machine provided for these calls is one serve would not run, and a second build of it (counted; put back when the test ends).
    const provide = flow.machine.provide;
    const counted = t.mock.method(flow.machine, 'provide');
    try {
      await threeCalls(flow, prepared.prompts);
      assert.equal(counted.mock.callCount(), 0, 'the simulated calls ran the flow\'s machine with their fetcher, not a machine of their own');
    } finally {
      counted.mock.restore();
    }
    assert.equal(flow.machine.provide, provide, "the machine's own provide is back");
  });

  async function threeCalls(flow: CompiledFlow, prompts: PromptStore): Promise<void> {
    const url = 'GET https://api.example.com/balance';
    const [rich, poor, pending] = await Promise.all([
      SimulatedCall.start({ flow, prompts, fetch: { [url]: { status: 200, body: { balance: 900 } } } }),
      SimulatedCall.start({ flow, prompts, fetch: { [url]: { status: 200, body: { balance: 3 } } } }),
      SimulatedCall.start({ flow, prompts }),
    ]);
    // All three at once, interleaved: each request is answered from its own call's answers.
    await Promise.all([rich, poor, pending].map((call) => call.played()));
    await Promise.all([rich, poor, pending].map((call) => call.press('2')));
    assert.deepEqual([rich.vars().balance, poor.vars().balance], [900, 3]);
    assert.deepEqual([rich.node, poor.node, pending.node], ['say_balance', 'say_balance', 'lookup']);
    assert.equal(pending.hasPendingFetch, true);
    assert.equal(rich.hasPendingFetch || poor.hasPendingFetch, false);
    assert.ok(pending.transcript.some((t) => t.text === `fetch ${url} pending (no canned answer)`), JSON.stringify(pending.transcript));
    await pending.wait(10_000);
    assert.equal(pending.node, 'sorry', 'the pending request timed out on its own simulated clock');
  }

  test('a canned fetcher writes the URL it is given to show, never the one it answers by', async () => {
    const notes: string[] = [];
    const http = new CannedFetcher({ 'GET https://api.example.com/verify?pin=4321': { status: 200, body: {} } }, { note: (text) => notes.push(text), failed: () => {} });
    const request = (pin: string) => ({ method: 'get', url: `https://api.example.com/verify?pin=${pin}`, headers: {}, timeoutMs: 1000, retries: 0 });
    const answered = await http.fetch(request('4321'), new AbortController().signal, 'https://api.example.com/verify?pin=***');
    void http.fetch(request('1234'), new AbortController().signal, 'https://api.example.com/verify?pin=***');
    assert.equal(answered.status, 200);
    assert.deepEqual(notes, ['fetch GET https://api.example.com/verify?pin=*** answered 200', 'fetch GET https://api.example.com/verify?pin=*** pending (no canned answer)']);
  });
});
