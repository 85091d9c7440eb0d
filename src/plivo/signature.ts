/**
 * Plivo request signatures, V3 (plivo-protocol.md): Plivo signs the WebSocket upgrade and its
 * webhooks with `X-Plivo-Signature-V3` = base64(HMAC-SHA256(auth token, signed URL + "." + nonce))
 * and sends the nonce in `X-Plivo-Signature-V3-Nonce`.
 *
 * The signed URL, as Plivo's SDKs build it (plivo-node `utils/v3Security.js`):
 * - GET: scheme + host + path, then `?` and the query parameters sorted by name, values sorted
 *   within a name (`a=1&b=2`), when there are any;
 * - POST with form parameters: scheme + host + path + `?`, the sorted query (if any) followed by
 *   `.`, then the form parameters sorted by name, each as name + value with no separator
 *   (`https://h/answer?CallUUIDabcFrom1555`, `https://h/answer?x=1.CallUUIDabc`).
 *
 *   verifySignatureV3({ method: 'GET', url: 'https://ivr.example.com/stream/support', nonce, signatures, authToken })
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Authorization } from './server-options.js';

export const SIGNATURE_HEADER = 'x-plivo-signature-v3';
export const NONCE_HEADER = 'x-plivo-signature-v3-nonce';

export interface SignatureCheck {
  method: string;
  /** The full URL the request was sent to (scheme, host, path, query). */
  url: string;
  /** POST form parameters. */
  params?: URLSearchParams | Record<string, string>;
  nonce: string;
  /** The header's value: one signature, or several separated by commas (accounts with several tokens). */
  signatures: string;
  authToken: string;
}

/** Sorted `[name, value]` pairs; equal names keep a stable order by value so both sides agree. */
function sortedPairs(params: URLSearchParams | Record<string, string>): [string, string][] {
  const pairs: [string, string][] = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  return pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
}

/** The URL string Plivo signs for this request (see the module comment). */
export function signedUrlOf(method: string, url: string, params?: URLSearchParams | Record<string, string>): string {
  const u = new URL(url);
  const base = `${u.protocol}//${u.host}${u.pathname}`;
  const query = sortedPairs(u.searchParams).map(([k, v]) => `${k}=${v}`).join('&');
  const form = method.toUpperCase() === 'POST' && params !== undefined ? sortedPairs(params) : [];
  if (form.length === 0) return query === '' ? base : `${base}?${query}`;
  return `${base}?${query === '' ? '' : `${query}.`}${form.map(([k, v]) => `${k}${v}`).join('')}`;
}

/** base64(HMAC-SHA256(authToken, signedUrl + "." + nonce)). */
export function signatureV3(signedUrl: string, nonce: string, authToken: string): string {
  return createHmac('sha256', authToken).update(`${signedUrl}.${nonce}`).digest('base64');
}

/**
 * True when any of the comma-separated signatures is the expected one. Compared in constant time
 * on equal-length buffers, so a forger learns nothing from how long a rejection took.
 */
export function verifySignatureV3(check: SignatureCheck): boolean {
  if (check.nonce === '' || check.signatures === '' || check.authToken === '') return false;
  const expected = Buffer.from(signatureV3(signedUrlOf(check.method, check.url, check.params), check.nonce, check.authToken));
  let ok = false;
  for (const candidate of check.signatures.split(',')) {
    const given = Buffer.from(candidate.trim());
    // No early exit: every candidate is compared, whichever matches.
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}

/**
 * The URL a request was sent to, as Plivo saw it: `http(s)://` (by whether the socket is TLS) +
 * `Host` + path and query; behind a TLS-terminating proxy, the configured public URL's scheme,
 * host and path prefix instead (ws/wss map to http/https, as Plivo's stream SDK does).
 */
export function requestUrlOf(req: IncomingMessage, publicUrl?: string): string {
  const path = req.url ?? '/';
  if (publicUrl !== undefined) {
    const base = new URL(publicUrl);
    const scheme = base.protocol === 'wss:' || base.protocol === 'https:' ? 'https:' : 'http:';
    const prefix = base.pathname.replace(/\/+$/, '');
    const full = prefix !== '' && !path.startsWith(`${prefix}/`) ? `${prefix}${path}` : path;
    return `${scheme}//${base.host}${full}`;
  }
  const tls = (req.socket as Partial<TLSSocket>).encrypted === true;
  return `${tls ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}${path}`;
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(',') : value ?? '').trim();
}

export interface SignatureAuthorizerOptions {
  authToken: string;
  publicUrl?: string;
  /** Told about every refusal (no secrets: the path and why). */
  refused?: (info: { status: 401 | 403; path: string; reason: string }) => void;
}

/**
 * The server's `authorize` hook: 401 without signature headers, 403 when none matches.
 * `form` is the POST body's parameters (the `/answer` webhook), when there is one.
 *
 *   createServer({ ..., authorize: signatureAuthorizer({ authToken: process.env.PLIVO_AUTH_TOKEN }) })
 */
export function signatureAuthorizer(options: SignatureAuthorizerOptions): (req: IncomingMessage, form?: URLSearchParams) => Authorization {
  return (req, form) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const signatures = header(req, SIGNATURE_HEADER);
    const nonce = header(req, NONCE_HEADER);
    if (signatures === '' || nonce === '') {
      options.refused?.({ status: 401, path, reason: 'missing X-Plivo-Signature-V3 or its nonce' });
      return { ok: false, status: 401, message: 'missing Plivo signature' };
    }
    const ok = verifySignatureV3({
      method: req.method ?? 'GET',
      url: requestUrlOf(req, options.publicUrl),
      ...(form !== undefined ? { params: form } : {}),
      nonce,
      signatures,
      authToken: options.authToken,
    });
    if (ok) return { ok: true };
    options.refused?.({ status: 403, path, reason: 'no signature matches' });
    return { ok: false, status: 403, message: 'invalid Plivo signature' };
  };
}
