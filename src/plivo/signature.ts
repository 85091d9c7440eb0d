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
  /** How long an accepted nonce is remembered (a replay within it is refused); default `NONCE_DEFAULTS.windowMs`. */
  nonceWindowMs?: number;
  /** Nonces remembered at most (the oldest is forgotten first); default `NONCE_DEFAULTS.maxNonces`. */
  maxNonces?: number;
  /** Default `Date.now`. */
  now?: () => number;
}

/**
 * V3 signs no timestamp, so a captured request stays valid for ever; what the server can do is
 * remember each nonce it accepted and refuse it a second time. It remembers them for the window
 * (Plivo sends a new nonce with every request; 10 minutes covers its retries and any clock of
 * ours), at most `maxNonces` of them: a few MB at Plivo's fastest rates, and only requests with a
 * valid signature add one, so no one without the auth token can grow the store.
 */
export const NONCE_DEFAULTS = { windowMs: 10 * 60_000, maxNonces: 100_000, maxLength: 256 } as const;

/**
 * The nonces seen in the last `windowMs`, oldest first (a Map keeps insertion order, so expiry is
 * a walk from the front); bounded to `max` entries.
 *
 *   const seen = new NonceStore(600_000, 100_000, Date.now);
 *   if (seen.has(nonce)) refuse(); else seen.add(nonce);
 */
export class NonceStore {
  private readonly expiry = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  has(nonce: string): boolean {
    this.forgetExpired();
    return this.expiry.has(nonce);
  }

  add(nonce: string): void {
    this.forgetExpired();
    this.expiry.set(nonce, this.now() + this.windowMs);
    if (this.expiry.size > this.max) this.expiry.delete(this.expiry.keys().next().value!);
  }

  get size(): number {
    return this.expiry.size;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [nonce, until] of this.expiry) {
      if (until > now) break;
      this.expiry.delete(nonce);
    }
  }
}

/**
 * The server's `authorize` hook: 401 without signature headers, 403 when none matches.
 * `form` is the POST body's parameters (the `/answer` webhook), when there is one.
 *
 *   createServer({ ..., authorize: signatureAuthorizer({ authToken: process.env.PLIVO_AUTH_TOKEN }) })
 */
export function signatureAuthorizer(options: SignatureAuthorizerOptions): (req: IncomingMessage, form?: URLSearchParams) => Authorization {
  const seen = new NonceStore(options.nonceWindowMs ?? NONCE_DEFAULTS.windowMs, options.maxNonces ?? NONCE_DEFAULTS.maxNonces, options.now ?? Date.now);
  return (req, form) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const signatures = header(req, SIGNATURE_HEADER);
    const nonce = header(req, NONCE_HEADER);
    if (signatures === '' || nonce === '') {
      options.refused?.({ status: 401, path, reason: 'missing X-Plivo-Signature-V3 or its nonce' });
      return { ok: false, status: 401, message: 'missing Plivo signature' };
    }
    if (nonce.length > NONCE_DEFAULTS.maxLength) {
      options.refused?.({ status: 403, path, reason: `nonce of ${nonce.length} characters` });
      return { ok: false, status: 403, message: 'invalid Plivo signature' };
    }
    if (seen.has(nonce)) {
      options.refused?.({ status: 403, path, reason: 'nonce already used: a replayed request' });
      return { ok: false, status: 403, message: 'replayed Plivo signature' };
    }
    const ok = verifySignatureV3({
      method: req.method ?? 'GET',
      url: requestUrlOf(req, options.publicUrl),
      ...(form !== undefined ? { params: form } : {}),
      nonce,
      signatures,
      authToken: options.authToken,
    });
    if (ok) {
      seen.add(nonce);
      return { ok: true };
    }
    options.refused?.({ status: 403, path, reason: 'no signature matches' });
    return { ok: false, status: 403, message: 'invalid Plivo signature' };
  };
}
