/**
 * The Plivo edge: one `http` server that answers Plivo's Answer URL and upgrades `/stream`
 * requests to WebSockets (a `ws` server in noServer mode, so HTTP routes and upgrades share the
 * port and the `authorize` hook sees both).
 *
 *   const server = createServer({ flows: () => serving, port: 0, host: '127.0.0.1' });
 *   const { port } = await server.listen();
 *   // Plivo: wss://<host>/stream/support   Answer URL: https://<host>/answer/support
 *   await server.close();
 *
 * Routes: WS `/stream/<flow id>` and `/stream` (flow from the start frame's `flow` extra header,
 * else `defaultFlow`); `GET|POST /answer/<flow id>` (and `/answer`: the default flow) -> Plivo XML;
 * `GET /healthz` -> 200 JSON. Anything else 404, unless the `handleRequest` hook took it.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallSession } from '../call/call-session.js';
import { FLOW_ID_SOURCE } from '../flow/flow-id.js';
import { answerXml, isValidHost, streamBaseOf } from './answer-xml.js';
import { CLOSE } from '../call/close-codes.js';
import { handleConnection } from './connection.js';
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions, type StartCall } from './server-options.js';
import { ServerStats, type ServerStatsSnapshot } from './server-stats.js';

export interface IvrServer {
  /** Starts listening; resolves with the bound port (useful with `port: 0`). */
  listen(): Promise<{ port: number; host: string }>;
  /** Stops accepting, ends calls in progress with reason `shutdown`, closes every socket. */
  close(): Promise<void>;
  stats(): ServerStatsSnapshot;
  /** Calls in progress (drain and metrics use it). */
  calls(): CallSession[];
  /** Refuses new upgrades with 503 from now on; calls in progress go on (the graceful drain). */
  stopAccepting(): void;
  /** The options in force, defaults applied (frozen). */
  readonly options: ResolvedServerOptions;
  /** The underlying HTTP server, for hooks that need it (e.g. `/metrics`). */
  readonly http: Server;
}

const ROUTE_STREAM = new RegExp(`^/stream(?:/(${FLOW_ID_SOURCE}))?/?$`);
const ROUTE_ANSWER = new RegExp(`^/answer(?:/(${FLOW_ID_SOURCE}))?/?$`);

/** Hook for routes owned elsewhere (`/metrics`, `/readyz`): return true when the request was answered. */
export type RequestHook = (req: IncomingMessage, res: ServerResponse) => boolean;

export function createServer(input: ServerOptions & { handleRequest?: RequestHook }): IvrServer {
  const options = resolveServerOptions(input);
  const log = options.log;
  const stats = new ServerStats();
  const sessions = new Set<CallSession>();
  const sockets = new Set<WebSocket>();
  let startCall: StartCall | undefined = options.startCall;
  let closing = false;

  const wss = new WebSocketServer({
    noServer: true,
    // Plivo sends small JSON frames; compression would cost CPU on every 20 ms media frame.
    perMessageDeflate: false,
    // Checked by ws before buffering: a larger message closes the socket with 1009.
    maxPayload: options.maxPayload,
    clientTracking: false,
  });

  const http = createHttpServer((req, res) => {
    try {
      route(req, res);
    } catch (error) {
      log.error({ err: String(error) }, 'error while answering an HTTP request');
      if (!res.headersSent) res.writeHead(500).end();
    }
  });

  function route(req: IncomingMessage, res: ServerResponse): void {
    if (input.handleRequest?.(req, res)) return;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      const serving = options.flows();
      const body = JSON.stringify({ status: 'ok', flows: [...serving.flows.keys()], activeCalls: sessions.size, loadedAt: serving.loadedAt });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    const answer = ROUTE_ANSWER.exec(path);
    if (answer && (req.method === 'GET' || req.method === 'POST')) {
      if (req.method === 'POST' && options.authorize) {
        // Plivo signs a POST's form parameters too: the signature can only be checked on the body.
        readForm(req, ANSWER_BODY_LIMIT)
          .then(
            (form) => answerCall(req, res, answer[1], form),
            () => void res.writeHead(413, { 'content-type': 'text/plain' }).end('body too large\n'),
          )
          .catch((error: unknown) => {
            log.error({ err: String(error) }, 'error while answering an HTTP request');
            if (!res.headersSent) res.writeHead(500).end();
          });
        return;
      }
      req.resume(); // a POST body (Plivo's call parameters) is not needed: drain it
      answerCall(req, res, answer[1]);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  function answerCall(req: IncomingMessage, res: ServerResponse, routeFlow: string | undefined, form?: URLSearchParams): void {
    if (badHost(req)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid Host header\n');
      return;
    }
    const verdict = options.authorize?.(req, form) ?? { ok: true };
    if (!verdict.ok) {
      log.warn({ status: verdict.status, path: (req.url ?? '/').split('?')[0] }, `answer refused: ${verdict.message}`);
      res.writeHead(verdict.status, { 'content-type': 'text/plain' }).end(`${verdict.message}\n`);
      return;
    }
    const flowId = routeFlow ?? options.defaultFlow;
    if (!options.flows().flows.has(flowId)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`unknown flow ${flowId}\n`);
      return;
    }
    const xml = answerXml({ flowId, streamBase: streamBaseOf(options.publicUrl, req.headers.host), contentType: options.contentType });
    res.writeHead(200, { 'content-type': 'application/xml' }).end(xml);
  }

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, message: string): void => {
      socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message) + 1}\r\n\r\n${message}\n`);
    };
    try {
      if (closing) return refuse(503, 'Service Unavailable');
      if (options.maxCalls > 0 && sockets.size >= options.maxCalls) {
        // Calls in progress keep their share of the process; the caller gets Plivo's failover.
        stats.limitHit('refusedBusy');
        log.warn({ maxCalls: options.maxCalls }, 'stream refused: maxCalls streams already open');
        return refuse(503, 'Service Unavailable');
      }
      const match = ROUTE_STREAM.exec((req.url ?? '/').split('?')[0] ?? '/');
      if (!match) return refuse(404, 'Not Found');
      if (badHost(req)) return refuse(400, 'Bad Request');
      const verdict = options.authorize?.(req) ?? { ok: true };
      if (!verdict.ok) {
        log.warn({ status: verdict.status, url: req.url }, `stream refused: ${verdict.message}`);
        return refuse(verdict.status, verdict.status === 401 ? 'Unauthorized' : 'Forbidden');
      }
      const routeFlow = match[1];
      if (routeFlow !== undefined && !options.flows().flows.has(routeFlow)) return refuse(404, 'Not Found');
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
        handleConnection(ws, {
          options: { ...options, onCall: (session, start) => track(session, start) },
          startCall: startCall!,
          stats,
          log,
          routeFlow,
        });
      });
    } catch (error) {
      log.error({ err: String(error) }, 'error while upgrading a stream');
      socket.destroy();
    }
  });

  /**
   * Without `--public-url` the request's `Host` becomes the stream URL in the answer XML and the
   * URL a signature is checked against: one that is not a plain host[:port] is refused (400).
   */
  function badHost(req: IncomingMessage): boolean {
    if (options.publicUrl !== undefined || isValidHost(req.headers.host)) return false;
    log.warn({ host: req.headers.host ?? '(none)', path: (req.url ?? '/').split('?')[0] }, 'request refused (400): the Host header is not a valid host[:port]');
    return true;
  }

  function track(session: CallSession, start: Parameters<NonNullable<ServerOptions['onCall']>>[1]): void {
    sessions.add(session);
    void session.done.finally(() => sessions.delete(session));
    options.onCall?.(session, start);
  }

  return {
    options,
    http,
    async listen() {
      // The call session is loaded here, not at import time, so tests that inject one need nothing else.
      startCall ??= (await import('../call/start-call.js')).startCall;
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(options.port, options.host, () => {
          http.off('error', reject);
          resolve();
        });
      });
      const address = http.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      return { port, host: options.host };
    },
    async close() {
      closing = true;
      for (const session of sessions) {
        try {
          session.stop('shutdown');
        } catch (error) {
          log.error({ err: String(error) }, 'error while stopping a call');
        }
      }
      for (const ws of sockets) ws.close(CLOSE.goingAway, 'shutdown');
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
        // Sockets that did not finish their closing handshake promptly are cut.
        setTimeout(() => {
          for (const ws of sockets) ws.terminate();
          http.closeAllConnections();
        }, 1000).unref();
      });
    },
    stats: () => stats.snapshot(),
    calls: () => [...sessions],
    stopAccepting() {
      closing = true;
    },
  };
}

/** Plivo's answer webhook parameters are a few hundred bytes; anything far larger is not Plivo. */
const ANSWER_BODY_LIMIT = 64 * 1024;

function readForm(req: IncomingMessage, limit: number): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new Error('body too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
