/**
 * X-Plivo-Signature-V3: expected values are computed here from the documented formula
 * (base64 HMAC-SHA256 of signed URL + "." + nonce, keyed by the auth token), not by the module.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NONCE_DEFAULTS, NONCE_HEADER, NonceStore, SIGNATURE_HEADER, requestUrlOf, signatureAuthorizer, signedUrlOf, verifySignatureV3 } from '../../src/plivo/signature.js';

const TOKEN = 'MzY2ZTlkOTQ4YjM0ZmVkZGQ2NDUzMzc1ZGQ0YmNm';
const NONCE = '05429567804466091622';

function hmac(message: string, token = TOKEN): string {
  return createHmac('sha256', token).update(message).digest('base64');
}

describe('verifySignatureV3', () => {
  const url = 'https://ivr.example.com/stream/support';

  test('accepts a signature of scheme + host + path + "." + nonce for a GET without query', () => {
    const signatures = hmac(`https://ivr.example.com/stream/support.${NONCE}`);
    assert.equal(verifySignatureV3({ method: 'GET', url, nonce: NONCE, signatures, authToken: TOKEN }), true);
  });

  test('signs query parameters sorted by name after "?"', () => {
    const signatures = hmac(`https://ivr.example.com/answer?a=1&b=2&z=9.${NONCE}`);
    assert.equal(signedUrlOf('GET', 'https://ivr.example.com/answer?z=9&a=1&b=2'), 'https://ivr.example.com/answer?a=1&b=2&z=9');
    assert.equal(verifySignatureV3({ method: 'GET', url: 'https://ivr.example.com/answer?z=9&a=1&b=2', nonce: NONCE, signatures, authToken: TOKEN }), true);
  });

  test('signs POST form parameters sorted by name after "?" (and after the sorted query and ".")', () => {
    const params = new URLSearchParams({ To: '15550002', CallUUID: 'abc', From: '15550001' });
    const signatures = hmac(`https://ivr.example.com/answer/support?CallUUIDabcFrom15550001To15550002.${NONCE}`);
    assert.equal(verifySignatureV3({ method: 'POST', url: 'https://ivr.example.com/answer/support', params, nonce: NONCE, signatures, authToken: TOKEN }), true);
    const withQuery = hmac(`https://ivr.example.com/answer/support?a=1&b=2.CallUUIDabcFrom15550001To15550002.${NONCE}`);
    assert.equal(verifySignatureV3({ method: 'POST', url: 'https://ivr.example.com/answer/support?b=2&a=1', params, nonce: NONCE, signatures: withQuery, authToken: TOKEN }), true);
    const noForm = hmac(`https://ivr.example.com/answer/support.${NONCE}`);
    assert.equal(verifySignatureV3({ method: 'POST', url: 'https://ivr.example.com/answer/support', params: {}, nonce: NONCE, signatures: noForm, authToken: TOKEN }), true);
  });

  test('rejects a wrong signature, another token, and an empty header', () => {
    const base = { method: 'GET', url, nonce: NONCE, authToken: TOKEN };
    assert.equal(verifySignatureV3({ ...base, signatures: 'bm90IGEgc2lnbmF0dXJl' }), false);
    assert.equal(verifySignatureV3({ ...base, signatures: hmac(`${url}.${NONCE}`, 'another-token') }), false);
    assert.equal(verifySignatureV3({ ...base, signatures: '' }), false);
    assert.equal(verifySignatureV3({ ...base, signatures: hmac(`${url}.${NONCE}`), nonce: '' }), false);
  });

  test('rejects a signature computed for another URL or another nonce', () => {
    const base = { method: 'GET', url, nonce: NONCE, authToken: TOKEN };
    assert.equal(verifySignatureV3({ ...base, signatures: hmac(`https://ivr.example.com/stream/billing.${NONCE}`) }), false);
    assert.equal(verifySignatureV3({ ...base, signatures: hmac(`http://ivr.example.com/stream/support.${NONCE}`) }), false);
    assert.equal(verifySignatureV3({ ...base, signatures: hmac(`${url}.1234`) }), false);
  });

  test('accepts a header of several signatures when the second matches', () => {
    const signatures = `${hmac(`${url}.${NONCE}`, 'old-token')}, ${hmac(`${url}.${NONCE}`)}`;
    assert.equal(verifySignatureV3({ method: 'GET', url, nonce: NONCE, signatures, authToken: TOKEN }), true);
    assert.equal(verifySignatureV3({ method: 'GET', url, nonce: NONCE, signatures: `${hmac(`${url}.${NONCE}`, 'old-token')},x`, authToken: TOKEN }), false);
  });
});

function fakeRequest(path: string, headers: Record<string, string>, method = 'GET'): IncomingMessage {
  return { url: path, method, headers, socket: {} } as unknown as IncomingMessage;
}

describe('signatureAuthorizer', () => {
  test('rebuilds the URL from the Host header, or from --public-url behind a proxy', () => {
    assert.equal(requestUrlOf(fakeRequest('/stream/main?x=1', { host: '127.0.0.1:8080' })), 'http://127.0.0.1:8080/stream/main?x=1');
    assert.equal(requestUrlOf(fakeRequest('/stream/main', { host: 'internal:8080' }), 'wss://ivr.example.com'), 'https://ivr.example.com/stream/main');
    assert.equal(requestUrlOf(fakeRequest('/stream/main', { host: 'internal' }), 'https://ivr.example.com/base/'), 'https://ivr.example.com/base/stream/main');
    assert.equal(requestUrlOf(fakeRequest('/base/stream/main', { host: 'internal' }), 'https://ivr.example.com/base'), 'https://ivr.example.com/base/stream/main');
  });

  test('answers 401 without headers, 403 for a wrong signature, ok for a right one; refusals are reported', () => {
    const refused: string[] = [];
    const authorize = signatureAuthorizer({ authToken: TOKEN, publicUrl: 'https://ivr.example.com', refused: (r) => refused.push(`${r.status} ${r.path}`) });
    const good = hmac(`https://ivr.example.com/stream/main.${NONCE}`);
    assert.deepEqual(authorize(fakeRequest('/stream/main', { host: 'x' })), { ok: false, status: 401, message: 'missing Plivo signature' });
    assert.deepEqual(authorize(fakeRequest('/stream/main', { host: 'x', 'x-plivo-signature-v3': 'AAAA', 'x-plivo-signature-v3-nonce': NONCE })), { ok: false, status: 403, message: 'invalid Plivo signature' });
    assert.deepEqual(authorize(fakeRequest('/stream/main', { host: 'x', 'x-plivo-signature-v3': good, 'x-plivo-signature-v3-nonce': NONCE })), { ok: true });
    assert.deepEqual(refused, ['401 /stream/main', '403 /stream/main']);
  });
});

describe('remembered nonces', () => {
  test('a nonce is refused again within the window, forgotten after it; the store never holds more than its bound', () => {
    let now = 0;
    const store = new NonceStore(1000, 3, () => now);
    store.add('a');
    assert.ok(store.has('a'));
    now = 999;
    assert.ok(store.has('a'), 'still inside the window');
    now = 1000;
    assert.ok(!store.has('a'), 'forgotten once the window passed');
    for (const n of ['b', 'c', 'd', 'e']) store.add(n);
    assert.equal(store.size, 3, 'bounded');
    assert.ok(!store.has('b') && store.has('e'), 'the oldest goes first');
  });

  test('the authorizer refuses a replayed nonce with 403, and an over-long nonce without storing it', () => {
    let now = 0;
    const refused: string[] = [];
    const authorize = signatureAuthorizer({ authToken: TOKEN, publicUrl: 'https://ivr.example.com', nonceWindowMs: 60_000, now: () => now, refused: (r) => refused.push(r.reason) });
    const req = (nonce: string) => fakeRequest('/stream/support', {
      [NONCE_HEADER]: nonce,
      [SIGNATURE_HEADER]: createHmac('sha256', TOKEN).update(`https://ivr.example.com/stream/support.${nonce}`).digest('base64'),
    });
    assert.deepEqual(authorize(req('n-1')), { ok: true });
    assert.deepEqual(authorize(req('n-1')), { ok: false, status: 403, message: 'replayed Plivo signature' });
    assert.deepEqual(authorize(req('n-2')), { ok: true });
    now = 60_000;
    assert.deepEqual(authorize(req('n-1')), { ok: true }, 'V3 signs no time: after the window a nonce cannot be told from a new one');
    assert.equal(authorize(req('x'.repeat(NONCE_DEFAULTS.maxLength + 1))).ok, false);
    assert.deepEqual(refused, ['nonce already used: a replayed request', `nonce of ${NONCE_DEFAULTS.maxLength + 1} characters`]);
  });
});
