import type { FetchRequest, FetchResponse } from '../compile/protocol.js';
import { FetchError, type Fetcher } from './fetcher.js';

/**
 * The `Fetcher` of `ivr serve`: Node's global `fetch`. A `body` is sent as JSON; the answer's
 * body is parsed as JSON when it says it is JSON (`invalid-json` when it is not parseable, for
 * 2xx answers: the flow would read garbage) or when it parses anyway, else kept as text.
 * An empty body is `null`. Non-2xx answers resolve: retrying and routing is the session's job.
 *
 * Redirects are followed only within the request's origin (scheme, host and port), at most
 * `MAX_REDIRECTS` times: a backend (or whoever controls one of its answers) must not send the
 * flow's request, its headers and body, to another host. A redirect elsewhere is not followed:
 * its 3xx answer is the response, a `status` failure for the flow.
 *
 * @example
 *   startCall(start, transport, { ...options, fetcher: httpFetcher });
 *
 * A `Fetcher` with no use for the shown URL: callable with the request and a signal alone.
 */
export const httpFetcher: (request: FetchRequest, signal: AbortSignal) => Promise<FetchResponse> = async (request, signal) => {
  let url = request.url;
  let method = request.method;
  let body = request.body === undefined || request.method === 'GET' ? undefined : JSON.stringify(request.body);
  for (let hop = 0; ; hop++) {
    const response = await fetch(url, { method, headers: requestHeaders(request, body !== undefined), body, signal, redirect: 'manual' });
    const next = sameOriginRedirect(response, url);
    if (next === undefined || hop >= MAX_REDIRECTS) return answerOf(response);
    await response.body?.cancel();
    // As fetch does: 303 (and 301/302 after a POST) continue as a GET without the body.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    url = next;
  }
};

/** Same-origin redirects followed per request; one more answers with the 3xx itself. */
export const MAX_REDIRECTS = 5;

/** The URL a redirect answer points to, when it is one and stays on the request's origin. */
function sameOriginRedirect(response: Response, from: string): string | undefined {
  if (![301, 302, 303, 307, 308].includes(response.status)) return undefined;
  const location = response.headers.get('location');
  if (location === null) return undefined;
  try {
    const next = new URL(location, from);
    return next.origin === new URL(from).origin ? next.href : undefined;
  } catch {
    return undefined;
  }
}

async function answerOf(response: Response): Promise<Awaited<ReturnType<Fetcher>>> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const text = await readCapped(response, MAX_RESPONSE_BYTES);
  return { status: response.status, headers, body: parseBody(text, headers['content-type'], response.ok) };
}

/** A backend answer larger than this is an error: a flow reads a few fields, never megabytes. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The body as text, refusing it (before buffering more) once it passes `max` bytes. */
async function readCapped(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > max) {
    await response.body?.cancel();
    throw new FetchError('network', `response of ${declared} bytes is over the ${max}-byte limit`);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw new FetchError('network', `response is over the ${max}-byte limit`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function requestHeaders(request: FetchRequest, withBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (withBody && request.body !== undefined && !hasContentType) headers['content-type'] = 'application/json';
  return headers;
}

function parseBody(text: string, contentType: string | undefined, ok: boolean): FetchResponse['body'] {
  if (text.trim() === '') return null;
  const saysJson = contentType !== undefined && /[/+]json\b/i.test(contentType);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (saysJson && ok) throw new FetchError('invalid-json', `response is not valid JSON (content-type ${contentType})`);
    return text;
  }
}
