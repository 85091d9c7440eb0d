// test:serial: bounds /healthz p95 during replayed requests; npm run test:unit runs it after the others, alone.
/**
 * Signatures on a real server: with an auth token, the WebSocket upgrade and `/answer` need a
 * valid X-Plivo-Signature-V3 (401 without, 403 wrong, each refusal logged); without a token the
 * server warns at start that unsigned streams are accepted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { hearPrompts, writeFixture, type Fixture } from '../support/e2e-harness.js';
import { upgradeStatus } from '../support/child-server.js';
import { OPS_FLOW, OPS_PROMPTS, opsServe, type OpsServing } from './support/ops-harness.js';
import { assertResponsive, probeHealth } from '../support/health-probe.js';

const TOKEN = 'test-auth-token-0123456789';
const PUBLIC = 'https://ivr.example.com';

/** The documented formula, computed here independently of src/plivo/signature.ts. */
function sign(url: string, nonce: string, token = TOKEN): Record<string, string> {
  return { 'X-Plivo-Signature-V3': createHmac('sha256', token).update(`${url}.${nonce}`).digest('base64'), 'X-Plivo-Signature-V3-Nonce': nonce };
}

describe('signed requests (PLIVO_AUTH_TOKEN set)', () => {
  let fixture: Fixture;
  let s: OpsServing;
  before(async () => {
    fixture = await writeFixture({ 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
    s = await opsServe(fixture, { reload: false, authToken: TOKEN, publicUrl: PUBLIC });
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  test('an upgrade without a signature is refused with 401, a wrong one with 403, each logged', async () => {
    const ws = `ws://127.0.0.1:${s.port}/stream/ops`;
    assert.equal(await upgradeStatus(ws, {}), 401);
    assert.equal(await upgradeStatus(ws, sign(`${PUBLIC}/stream/ops`, '111', 'another-token')), 403);
    assert.equal(await upgradeStatus(ws, sign(`${PUBLIC}/stream/other`, '111')), 403, 'signed for another URL');
    const refusals = s.logs.filter((l) => typeof l.msg === 'string' && /request refused \((401|403)\)/.test(l.msg));
    assert.deepEqual(refusals.map((l) => l.status), [401, 403, 403]);
  });

  test('a correctly signed upgrade gets the call; several signatures where the second matches too', async () => {
    const c = await s.call('ops', { upgradeHeaders: sign(`${PUBLIC}/stream/ops`, '98765') });
    assert.deepEqual(await hearPrompts(c, 1), ['welcome']);
    c.hangup();
    const both = sign(`${PUBLIC}/stream/ops`, '4242');
    const old = sign(`${PUBLIC}/stream/ops`, '4242', 'rotated-out-token');
    const status = await upgradeStatus(`ws://127.0.0.1:${s.port}/stream/ops`, {
      ...both,
      'X-Plivo-Signature-V3': `${old['X-Plivo-Signature-V3']},${both['X-Plivo-Signature-V3']}`,
    });
    assert.equal(status, 101);
  });

  test('a captured signed upgrade replayed is refused (403) every time while the genuine call goes on; a fresh nonce still gets in', async () => {
    const captured = sign(`${PUBLIC}/stream/ops`, '4711');
    const genuine = await s.call('ops', { upgradeHeaders: captured });
    assert.deepEqual(await hearPrompts(genuine, 1), ['welcome']);

    const probe = probeHealth(s.base);
    for (let i = 0; i < 30; i++) assert.equal(await upgradeStatus(`ws://127.0.0.1:${s.port}/stream/ops`, captured), 403, `replay ${i}`);
    assertResponsive(await probe.stop(), 'during the replays');
    assert.equal(s.server.stats().connections.open, 1, 'the replays hold no slot');
    assert.equal((await fetch(`${s.base}/answer/ops`, { headers: sign(`${PUBLIC}/answer/ops`, '4711') })).status, 403, 'nor can the nonce be used on /answer');

    assert.deepEqual(await hearPrompts(genuine, 1), ['main_menu'], 'the genuine call goes on');
    genuine.press('3');
    assert.equal((await genuine.closed).reason, 'completed');
    assert.equal(await upgradeStatus(`ws://127.0.0.1:${s.port}/stream/ops`, sign(`${PUBLIC}/stream/ops`, '4712')), 101, 'Plivo, with a new nonce');

    const refusals = s.logs.filter((l) => l.reason === 'nonce already used: a replayed request');
    assert.equal(refusals.length, 31);
    assert.ok(!s.logText().includes(TOKEN), 'the auth token is in no log line');
  });

  test('/answer: GET and POST (form parameters signed) are checked too', async () => {
    const answer = `${s.base}/answer/ops`;
    assert.equal((await fetch(answer)).status, 401);
    assert.equal((await fetch(answer, { headers: sign(`${PUBLIC}/answer/ops`, '1') })).status, 200);
    const form = 'From=15550001&CallUUID=abc-123&To=15550002';
    const signedPost = sign(`${PUBLIC}/answer/ops?CallUUIDabc-123From15550001To15550002`, '77');
    const post = await fetch(answer, { method: 'POST', headers: { ...signedPost, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    assert.equal(post.status, 200);
    assert.match(await post.text(), /<Stream [^>]*>wss:\/\/ivr\.example\.com\/stream\/ops<\/Stream>/);
    const tampered = await fetch(answer, { method: 'POST', headers: { ...signedPost, 'content-type': 'application/x-www-form-urlencoded' }, body: form.replace('15550001', '15559999') });
    assert.equal(tampered.status, 403);
  });
});

describe('unsigned mode (no PLIVO_AUTH_TOKEN)', () => {
  test('warns at start that unsigned streams are accepted, and accepts them', async () => {
    const fixture = await writeFixture({ 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
    const s = await opsServe(fixture, { reload: false });
    try {
      assert.ok(s.logs.some((l) => l.level === 'warn' && /PLIVO_AUTH_TOKEN is not set/.test(String(l.msg))));
      assert.equal(await upgradeStatus(`ws://127.0.0.1:${s.port}/stream/ops`, {}), 101);
    } finally {
      await s.close();
      await fixture.cleanup();
    }
  });
});
