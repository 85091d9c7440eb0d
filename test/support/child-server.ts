/**
 * `ivr serve` as a child process (`node bin/ivr.js serve ...`), as operators run it: resolves its
 * port from the "listening on" line, keeps everything it prints, and reports how it exited.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { WebSocket } from 'ws';

export interface ChildServer {
  /** The process id (benchmarks read its memory from /proc). */
  pid: number | undefined;
  port: Promise<number>;
  /** Exit code, or the signal name when killed. */
  exit: Promise<number | string | null>;
  output(): string;
  signal(s: NodeJS.Signals): void;
  alive(): boolean;
}

export function serveChild(args: string[], env: Record<string, string> = {}): ChildServer {
  const ivr = join(process.cwd(), 'bin', 'ivr.js');
  const child = spawn(process.execPath, [ivr, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PLIVO_AUTH_TOKEN: '', ...env } });
  let out = '';
  let exited = false;
  const port = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => reject(new Error(`exited before listening:\n${out}`)));
  });
  port.catch(() => {});
  const exit = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolve(code ?? signal);
    }),
  );
  return { pid: child.pid, port, exit, output: () => out, signal: (s) => child.kill(s), alive: () => !exited };
}

/** The HTTP status an upgrade to `url` gets: 101 when the WebSocket opens, 0 when the socket fails. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => resolve(0));
  });
}
