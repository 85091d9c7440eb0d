/**
 * The shipped flows (flows/*.yaml) served as `ivr serve flows/` serves them: every flow loads,
 * answers a call in each codec with prompt audio that maps back to its prompt names, and ends
 * cleanly when the caller hangs up.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MEDIA_FORMATS } from '../../src/audio/types.js';
import { PlivoClient, promptIndex } from '../support/plivo-client.js';
import { billingApi, eventually, hearPrompts, serve, type BillingApi, type Serving } from '../support/e2e-harness.js';

describe('the shipped flows, end to end', () => {
  let s: Serving;
  let api: BillingApi;
  before(async () => {
    api = await billingApi({ '1234567': 42.5 });
    // The support line's fetch URL is `{{ billingApi }}/accounts/{{ account }}`: point it at the loopback API.
    s = await serve([join(process.cwd(), 'flows')], { vars: { support: { billingApi: api.url } } });
  });
  after(async () => {
    await s.close();
    await api.close();
  });

  test('there are shipped flows, including the default flow main', () => {
    assert.ok(s.serving.flows.size > 0);
    assert.ok(s.serving.flows.has('main'), `flows: ${[...s.serving.flows.keys()].join(', ')}`);
  });

  test('every flow greets a caller in every codec with known prompts, and a hang-up ends the call', async () => {
    for (const flowId of s.serving.flows.keys()) {
      for (const format of MEDIA_FORMATS) {
        const c = await s.call(flowId, { format });
        const prompts = await c.nextPrompt();
        assert.ok(prompts.length > 0, `${flowId} ${format}: a first prompt`);
        assert.deepEqual(prompts.filter((p) => p.startsWith('?')), [], `${flowId} ${format}: audio not from any prompt\n${c.transcript()}`);
        c.hangup();
        await c.closed;
      }
    }
    await eventually(() => s.server.stats().calls.active === 0, 'every call is over');
    assert.equal(s.server.stats().handlerErrors, 0);
  });

  test('support line: the balance of an account, looked up in the billing API, read back as a number', async () => {
    const c = await s.call('support');
    assert.deepEqual(await hearPrompts(c, 2), ['welcome', 'main_menu']);
    c.press('1');
    assert.deepEqual(await hearPrompts(c, 1), ['enter_account']);
    c.press('1234567#');
    assert.deepEqual(await c.nextPrompt(), ['one_moment']);
    assert.deepEqual(await hearPrompts(c, 6), ['balance_is', 'number-40', 'digit-2', 'point', 'digit-5', 'dollars']);
    assert.deepEqual(await c.nextPrompt(), ['main_menu']);
    assert.ok(api.requests.includes('GET /accounts/1234567'));
    c.hangup();
  });

  test('support line: 0 from the menu transfers to the operator with the rendered extension', async () => {
    const c = await s.call('support');
    await hearPrompts(c, 1);
    assert.deepEqual(await c.nextPrompt(), ['main_menu']);
    const from = c.cursor;
    c.press('0'); // while the menu prompt plays: barge-in, global key
    assert.deepEqual(await c.nextPrompt(), ['transferring']);
    assert.equal(c.eventsSince(from)[0], 'clearAudio');
    c.ackAll();
    assert.deepEqual((await c.next((f) => f.event === 'sendDTMF')).json, { event: 'sendDTMF', dtmf: '*2100#' });
    assert.deepEqual(await c.closed, { code: 1000, reason: 'completed' });
  });

  test('the front door: /stream without a flow header runs main, whose menu leads into the support line', async () => {
    const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${s.port}/stream`, prompts: promptNames(s) });
    assert.deepEqual(await hearPrompts(c, 2), ['main_welcome', 'main_choices']);
    c.press('1');
    assert.deepEqual(await c.nextPrompt(), ['welcome']);
    c.hangup();
  });
});

function promptNames(s: Serving): ReadonlyMap<string, string> {
  return promptIndex(s.serving.prompts, [...s.serving.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), 'audio/x-mulaw;rate=8000');
}
