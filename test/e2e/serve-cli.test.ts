/**
 * `ivr serve` as users run it: a child process of bin/ivr.js. It refuses broken flows with the
 * diagnostics `ivr validate` prints, serves good ones, and exits 0 on SIGTERM.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { E2E_FLOW, E2E_PROMPTS } from './fixture-flows.js';
import { writeFixture, type Fixture } from '../support/e2e-harness.js';
import { serveChild } from '../support/child-server.js';
import { PlivoClient } from '../support/plivo-client.js';

describe('ivr serve (child process)', () => {
  let fixture: Fixture;
  before(async () => {
    fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW }, E2E_PROMPTS);
  });
  after(() => fixture.cleanup());

  test('serves the flows, answers /healthz and calls, and exits 0 on SIGTERM', async () => {
    // A short drain: the call in progress is ended with `shutdown` instead of running its course.
    const p = serveChild([fixture.dir, '--port', '0', '--host', '127.0.0.1', '--default-flow', 'e2e', '--log-level', 'warn', '--drain-timeout', '50ms', '--records', join(fixture.dir, 'calls.jsonl')]);
    const port = await p.port;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual((await health.json() as { flows: string[] }).flows, ['e2e']);
    const c = await PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream` });
    await c.next((f) => f.event === 'checkpoint');
    p.signal('SIGTERM');
    assert.equal((await c.closed).code, 1000);
    assert.equal(await p.exit, 0, p.output());
  });

  test('refuses to start when a flow has errors, printing them as ivr validate does', async () => {
    await writeFile(join(fixture.dir, 'broken.yaml'), 'ivr: 1\nid: broken\nnodes:\n  a:\n    play: welcome\n    next: nowhere\n');
    const p = serveChild([fixture.dir, '--port', '0', '--host', '127.0.0.1']);
    assert.equal(await p.exit, 1);
    assert.match(p.output(), /broken\.yaml:\d+:\d+: error \S+ .*nowhere/);
    assert.doesNotMatch(p.output(), /listening on/);
  });

  test('bad options are a usage error (exit 2)', async () => {
    const p = serveChild([fixture.dir, '--port', 'eighty']);
    assert.equal(await p.exit, 2);
    assert.match(p.output(), /--port/);
  });
});
