/**
 * The Plivo XML an application's Answer URL returns to send a call to a flow (plivo-protocol.md):
 * a bidirectional stream kept alive until the engine closes the socket, then `<Hangup/>` runs.
 * `keepCallAlive` is why closing the socket hands the call back to the XML after `<Stream>`.
 *
 *   answerXml({ flowId: 'support', streamBase: 'wss://ivr.example.com', contentType: 'audio/x-mulaw;rate=8000' })
 */
import type { MediaFormat } from '../audio/types.js';

export interface AnswerXmlInput {
  flowId: string;
  /** `wss://host[:port][/prefix]`, without a trailing slash. */
  streamBase: string;
  contentType: MediaFormat;
}

export function answerXml({ flowId, streamBase, contentType }: AnswerXmlInput): string {
  // Plivo allows only letters and digits in extraHeaders (plivo-protocol.md). The URL path names
  // the flow anyway; the header is a convenience for logs, so ids like `after-hours` go without it.
  const extraHeaders = /^[A-Za-z0-9]+$/.test(flowId) ? ` extraHeaders="flow=${flowId}"` : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n' +
    `  <Stream bidirectional="true" keepCallAlive="true" contentType="${escapeXml(contentType)}"${extraHeaders}>` +
    `${escapeXml(`${streamBase}/stream/${encodeURIComponent(flowId)}`)}</Stream>\n` +
    '  <Hangup/>\n</Response>\n'
  );
}

/**
 * True for a `Host` header that is a host name (letters, digits, `-`, `_`, dots), an IPv4 address
 * or a bracketed IPv6 address, with an optional port: what the answer XML may copy into the
 * stream URL when there is no `--public-url`. Anything else (quotes, spaces, paths, `@`) is refused
 * with 400 rather than echoed to Plivo.
 */
export function isValidHost(host: string | undefined): host is string {
  if (host === undefined || host.length > 261) return false;
  const m = HOST.exec(host);
  return m !== null && (m[1] === undefined || Number(m[1]) <= 65535);
}

const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*\\.?|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?$`);

/**
 * The WebSocket base Plivo should connect to: the configured public URL (its scheme mapped to
 * ws/wss, path kept as a prefix), else the request's Host header. Behind a TLS-terminating proxy
 * the Host header cannot tell `wss` from `ws`, hence `--public-url`.
 */
export function streamBaseOf(publicUrl: string | undefined, hostHeader: string | undefined): string {
  if (publicUrl !== undefined) {
    const url = new URL(publicUrl);
    const scheme = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss' : 'ws';
    return `${scheme}://${url.host}${url.pathname.replace(/\/+$/, '')}`;
  }
  return `ws://${hostHeader ?? 'localhost'}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
