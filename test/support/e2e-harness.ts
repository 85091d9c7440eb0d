/**
 * End-to-end harness: flows written to a temp folder (YAML + generated WAV prompts), loaded by the
 * real front end, compiled, served by the real server on 127.0.0.1 port 0, and called by
 * `PlivoClient`s. Also a loopback "billing API" for fetch nodes.
 */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/pcm.js';
import type { MediaFormat } from '../../src/audio/types.js';
import { fileRecordingSink } from '../../src/call/recording-sink.js';
import { createServer, type IvrServer } from '../../src/plivo/server.js';
import type { ServerOptions } from '../../src/plivo/server-options.js';
import { loadServingFlows, type ServingFlows } from '../../src/plivo/serving-flows.js';
import { PlivoClient, promptIndex, type PlivoClientOptions } from './plivo-client.js';

/** A tone of `ms` at 8 kHz; each prompt gets its own frequency so no two sound (or encode) alike. */
export function tone(ms: number, hz: number, sampleRate = 8000, amplitude = 8000): Int16Array {
  const samples = new Int16Array(Math.round((ms * sampleRate) / 1000));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return samples;
}

export interface Fixture {
  dir: string;
  recordings: string;
  cleanup(): Promise<void>;
}

/** Writes `flows` (file name -> YAML) and `prompts` (name -> length in ms) under a new temp folder. */
export async function writeFixture(flows: Record<string, string>, prompts: Record<string, number>): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'ivr-e2e-'));
  await mkdir(join(dir, 'prompts'), { recursive: true });
  let hz = 300;
  for (const [name, ms] of Object.entries(prompts)) {
    await writeFile(join(dir, 'prompts', `${name}.wav`), encodeWav(tone(ms, (hz += 37)), 8000));
  }
  for (const [file, yaml] of Object.entries(flows)) await writeFile(join(dir, file), yaml);
  const recordings = join(dir, 'recordings');
  return { dir, recordings, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface Serving {
  server: IvrServer;
  port: number;
  serving: ServingFlows;
  /** Connects a Plivo-like client to `/stream/<flowId>` with the prompt index for its format. */
  call(flowId: string, options?: Partial<PlivoClientOptions>): Promise<PlivoClient>;
  close(): Promise<void>;
}

/** Loads the flows under `paths` with the real front end and serves them. Throws with the diagnostics when they have errors. */
export async function serve(paths: string[], options: Partial<ServerOptions> & { recordingsDir?: string } = {}): Promise<Serving> {
  const loaded = await loadServingFlows(paths);
  if (loaded.value === undefined) {
    throw new Error(`flows do not load:\n${loaded.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join('\n')}`);
  }
  const serving = loaded.value;
  const { recordingsDir, ...rest } = options;
  const server = createServer({
    port: 0, host: '127.0.0.1', flows: () => serving,
    ...(recordingsDir ? { recordings: fileRecordingSink(recordingsDir) } : {}),
    ...rest,
  });
  const { port } = await server.listen();
  const indexes = new Map<MediaFormat, Map<string, string>>();
  const indexFor = (format: MediaFormat): Map<string, string> => {
    let index = indexes.get(format);
    if (!index) {
      index = promptIndex(serving.prompts, [...serving.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), format);
      indexes.set(format, index);
    }
    return index;
  };
  return {
    server, port, serving,
    call: (flowId, o = {}) => {
      const format = o.format ?? 'audio/x-mulaw;rate=8000';
      return PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/${flowId}`, prompts: indexFor(format), ...o, format });
    },
    close: () => server.close(),
  };
}

export interface BillingApi {
  url: string;
  /** `METHOD /path` of every request, in order. */
  requests: string[];
  /** The headers of every request, in order. */
  headers: import('node:http').IncomingHttpHeaders[];
  close(): Promise<void>;
}

/**
 * A loopback billing API: `/accounts/<n>` answers `{ balance }` from `balances`; account `5000`
 * answers 500, `6666` malformed JSON, `5555` never answers (for timeouts).
 */
export async function billingApi(balances: Record<string, number>): Promise<BillingApi> {
  const requests: string[] = [];
  const headers: import('node:http').IncomingHttpHeaders[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createHttpServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    headers.push(req.headers);
    const account = /^\/accounts\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
    if (account === '5555') {
      hanging.add(res);
      return;
    }
    if (account === '5000') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
    if (account === '6666') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"balance": 4');
    const balance = balances[account];
    if (balance === undefined) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ balance }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    headers,
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Plays along like a caller who listens to everything: takes prompts (acknowledging each
 * checkpoint) until at least `count` prompt names have arrived since the cursor; returns them.
 */
export async function hearPrompts(client: PlivoClient, count: number, timeoutMs = 3000): Promise<string[]> {
  const names: string[] = [];
  while (names.length < count) {
    names.push(...(await client.nextPrompt(timeoutMs)));
    client.ackAll();
  }
  return names;
}

/**
 * A scripted caller on the e2e fixture flow (test/e2e/fixture-flows.ts): directory, option 11#,
 * sales, goodbye. Its transcript (frames received, prompts by name, and the close), to compare a
 * call made beside hostile streams with one made alone.
 */
export async function scriptedE2eCall(s: Pick<Serving, 'call'>, timeoutMs = 3000): Promise<string[]> {
  const c = await s.call('e2e');
  await hearPrompts(c, 2, timeoutMs);
  c.press('2');
  await hearPrompts(c, 1, timeoutMs);
  c.press('11#');
  await hearPrompts(c, 2, timeoutMs);
  const close = await c.closed;
  return [...c.frames.map((f) => (f.event === 'playAudio' ? `playAudio ${f.prompt}` : f.event)), `close ${close.code} ${close.reason}`];
}

/** Polls `pred` (no fixed sleeps) until true or `timeoutMs`. */
export async function eventually(pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
