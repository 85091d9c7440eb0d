import type { FetchRequest, FetchResponse } from '../compile/protocol.js';
import { FetchError, type Fetcher } from './fetcher.js';

/**
 * The `Fetcher` of `ivr serve`: Node's global `fetch`. A `body` is sent as JSON; the answer's
 * body is parsed as JSON when it says it is JSON (`invalid-json` when it is not parseable, for
 * 2xx answers: the flow would read garbage) or when it parses anyway, else kept as text.
 * An empty body is `null`. Non-2xx answers resolve: retrying and routing is the session's job.
 *
 * @example
 *   startCall(start, transport, { ...options, fetcher: httpFetcher });
 */
export const httpFetcher: Fetcher = async (request, signal) => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: requestHeaders(request),
    body: request.body === undefined || request.method === 'GET' ? undefined : JSON.stringify(request.body),
    signal,
    redirect: 'follow',
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const text = await readCapped(response, MAX_RESPONSE_BYTES);
  return { status: response.status, headers, body: parseBody(text, headers['content-type'], response.ok) };
};

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

function requestHeaders(request: FetchRequest): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (request.body !== undefined && !hasContentType) headers['content-type'] = 'application/json';
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
