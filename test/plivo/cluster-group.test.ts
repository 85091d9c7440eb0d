/**
 * `ivr serve --workers 2` as one server (real processes, real port): `/metrics` answers for the
 * whole group whichever worker takes the scrape, and an edit of the flows is reloaded by every
 * worker.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hearPrompts } from '../support/e2e-harness.js';
import { serveChild, type ChildServer } from '../support/child-server.js';
import { PlivoClient } from '../support/plivo-client.js';
import { parsePromText, sampleValue } from '../ops/support/prom-text.js';

const WORKERS = 2;
/** Plays one system prompt and ends: a whole call in one prompt. */
const flow = (digit: number): string => `ivr: 1\nid: hello\nstart: bye\nnodes:\n  bye:\n    end: { prompt: digit-${digit} }\n`;

describe('ivr serve --workers: one server to the outside', () => {
  let dir: string;
  let child: ChildServer;
  let port: number;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ivr-cluster-'));
    await writeFile(join(dir, 'hello.yaml'), flow(1));
    child = serveChild([dir, '--workers', String(WORKERS), '--port', '0', '--host', '127.0.0.1', '--records', join(dir, 'calls.jsonl'), '--log-level', 'warn', '--drain-timeout', '1s']);
    port = await child.port;
  });
  after(async () => {
    child.signal('SIGTERM');
    await child.exit;
    await rm(dir, { recursive: true, force: true });
  });

  /** A GET on a connection of its own, so the cluster hands each to the next worker. */
  const scrape = (path: string): Promise<string> =>
    new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${path}: ${res.statusCode} ${body}`))));
      }).on('error', reject);
    });
  const metric = async (name: string, labels?: Record<string, string>): Promise<number | undefined> => sampleValue(parsePromText(await scrape('/metrics')), name, labels);

  test('/metrics counts every worker: each scrape shows all the calls, whichever worker answers', async () => {
    const calls = 6;
    for (let i = 0; i < calls; i++) {
      const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/hello` });
      await hearPrompts(c, 1);
      await c.closed;
    }
    for (let i = 0; i < 2 * WORKERS; i++) {
      // A call's record and metrics are done when its socket closes on the worker side; poll briefly.
      const deadline = Date.now() + 2000;
      let total = await metric('ivr_calls_total', { flow: 'hello', reason: 'completed' });
      while (total !== calls && Date.now() < deadline) total = await metric('ivr_calls_total', { flow: 'hello', reason: 'completed' });
      assert.equal(total, calls, `scrape ${i}: the calls of every worker`);
      assert.equal(await metric('ivr_flow_loads_total'), WORKERS, 'one start-up load per worker');
    }
  });

  test('every worker reloads an edited flow', async () => {
    const before = await scrape('/readyz');
    await writeFile(join(dir, 'hello.yaml'), flow(2));
    const deadline = Date.now() + 5000;
    let loads = await metric('ivr_flow_loads_total');
    while (loads !== 2 * WORKERS && Date.now() < deadline) loads = await metric('ivr_flow_loads_total');
    assert.equal(loads, 2 * WORKERS, 'a start-up load and a reload in each worker');
    for (let i = 0; i < 2 * WORKERS; i++) {
      const ready = JSON.parse(await scrape('/readyz')) as { versions: { hello: string } };
      assert.notEqual(ready.versions.hello, (JSON.parse(before) as { versions: { hello: string } }).versions.hello, `worker answering /readyz #${i} serves the new version`);
    }
  });
});
