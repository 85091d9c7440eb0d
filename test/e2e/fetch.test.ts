/** Fetch nodes against a real loopback HTTP server: success, timeout, 500 and malformed JSON. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { E2E_FLOW, E2E_PROMPTS } from './fixture-flows.js';
import { billingApi, hearPrompts, serve, writeFixture, type BillingApi, type Fixture, type Serving } from '../support/e2e-harness.js';
import type { PlivoClient } from '../support/plivo-client.js';

/** A fetch whose header reads an allow-listed environment variable (`--allow-env BILLING_`). */
const ENV_FLOW = `ivr: 1
id: env-check
vars: { api: "http://127.0.0.1:9", balance: 0.0 }
nodes:
  lookup:
    fetch:
      url: "{{ api }}/accounts/1234567"
      headers: { Authorization: "Bearer {{ env.BILLING_TOKEN }}" }
      timeout: 500ms
      set: { balance: "response.body.balance" }
    next: bye
  bye:
    end: { prompt: goodbye }
`;

describe('fetch, end to end', () => {
  let fixture: Fixture;
  let api: BillingApi;
  let s: Serving;

  before(async () => {
    fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW, 'env-check.yaml': ENV_FLOW }, E2E_PROMPTS);
    api = await billingApi({ '1234567': 42.5 });
    // No per-call variables on Plivo's wire: the server's `vars` option points the flow at the loopback API.
    s = await serve([fixture.dir], {
      vars: { e2e: { billingApi: api.url }, 'env-check': { api: api.url } },
      env: { BILLING_TOKEN: 'tok-123' },
    });
  });
  after(async () => {
    await s.close();
    await api.close();
    await fixture.cleanup();
  });

  async function enterAccount(account: string): Promise<PlivoClient> {
    const c = await s.call('e2e');
    await hearPrompts(c, 2); // welcome, main_menu
    c.press('1');
    await hearPrompts(c, 1); // enter_account
    c.press(`${account}#`);
    return c;
  }

  test('success: the wait prompt, then the balance read back as a number', async () => {
    const c = await enterAccount('1234567');
    assert.deepEqual(await c.nextPrompt(), ['one_moment']);
    const from = c.cursor;
    const prompts = await c.nextPrompt();
    assert.deepEqual(prompts, ['balance_is', 'number-40', 'digit-2', 'point', 'digit-5', 'dollars']);
    assert.equal(c.eventsSince(from)[0], 'clearAudio', 'the wait prompt is cleared when the fetch ends, before the answer plays');
    assert.ok(api.requests.includes('GET /accounts/1234567'));
    c.ackAll();
    assert.deepEqual(await hearPrompts(c, 1), ['goodbye']);
    assert.deepEqual(await c.closed, { code: 1000, reason: 'completed' });
  });

  for (const [what, account] of [['a timeout', '5555'], ['a 500', '5000'], ['malformed JSON', '6666']] as const) {
    test(`${what} goes to the node's onError`, async () => {
      const c = await enterAccount(account);
      assert.deepEqual(await c.nextPrompt(), ['one_moment']);
      assert.deepEqual(await hearPrompts(c, 1, 3000), ['sorry']);
      assert.deepEqual(await c.closed, { code: 1000, reason: 'error' });
      assert.ok(api.requests.includes(`GET /accounts/${account}`));
    });
  }

  test('allow-listed environment values reach fetch headers as env.NAME', async () => {
    const c = await s.call('env-check');
    assert.deepEqual(await c.nextPrompt(), ['goodbye']);
    const i = api.requests.lastIndexOf('GET /accounts/1234567');
    assert.equal(api.headers[i]?.authorization, 'Bearer tok-123');
    c.ackAll();
    assert.deepEqual(await c.closed, { code: 1000, reason: 'completed' });
  });
});
