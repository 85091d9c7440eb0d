/**
 * Graceful drain, as users run it: `ivr serve` in a child process gets SIGTERM with two calls in
 * progress. New calls are refused (503) and /readyz says draining; one call finishes on its own,
 * the other is ended with `shutdown` at --drain-timeout; both records are on disk; exit 0.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CallSession, CallSummary } from '../../src/call/call-session.js';
import { readCallRecords } from '../../src/ops/call-records.js';
import { drain, type Drainable } from '../../src/ops/drain.js';
import { eventually, hearPrompts, writeFixture, type Fixture } from '../support/e2e-harness.js';
import { PlivoClient } from '../support/plivo-client.js';
import { serveChild, upgradeStatus } from '../support/child-server.js';
import { OPS_FLOW, OPS_PROMPTS } from './support/ops-harness.js';

describe('SIGTERM drains calls in progress', () => {
  let fixture: Fixture;
  before(async () => {
    fixture = await writeFixture({ 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
  });
  after(() => fixture.cleanup());

  test('two calls in progress: one finishes, one ends with shutdown; both recorded; exit 0', async () => {
    const records = join(fixture.dir, 'calls.jsonl');
    const p = serveChild([fixture.dir, '--port', '0', '--host', '127.0.0.1', '--records', records, '--drain-timeout', '2500ms', '--no-reload']);
    const port = await p.port;
    const url = `ws://127.0.0.1:${port}/stream/ops`;
    const finishing = await PlivoClient.connect({ url, callId: 'drain-finishes' });
    const lingering = await PlivoClient.connect({ url, callId: 'drain-lingers' });
    await hearPrompts(finishing, 2); // in the menu
    await hearPrompts(lingering, 2); // in the menu, and stays there

    p.signal('SIGTERM');
    await eventually(() => /draining/.test(p.output()), 'the server says it drains');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { status: string }).status, 'draining');
    assert.equal(await upgradeStatus(url), 503, 'new calls are refused while draining');

    finishing.press('3');
    assert.equal((await hearPrompts(finishing, 1)).length, 1, 'the goodbye prompt');
    assert.deepEqual(await finishing.closed, { code: 1000, reason: 'completed' });
    assert.deepEqual(await lingering.closed, { code: 1000, reason: 'shutdown' });
    assert.equal(await p.exit, 0, p.output());

    const byId = Object.fromEntries((await readCallRecords(records)).map((r) => [r.callId, r.endReason]));
    assert.deepEqual(byId, { 'drain-finishes': 'completed', 'drain-lingers': 'shutdown' });
  });

  test('with no call in progress the server exits 0 at once on SIGINT', async () => {
    const records = join(fixture.dir, 'idle.jsonl');
    const p = serveChild([fixture.dir, '--port', '0', '--host', '127.0.0.1', '--records', records, '--drain-timeout', '30s']);
    await p.port;
    const started = Date.now();
    p.signal('SIGINT');
    assert.equal(await p.exit, 0, p.output());
    assert.ok(Date.now() - started < 10_000, 'did not wait for the drain timeout');
    assert.deepEqual(await readCallRecords(records), []);
  });
});

/** A server stand-in whose calls end when the test says so (or when stopped). */
function fakeServer(): Drainable & { begin(id: string): { end(reason: string): void }; events: string[] } {
  const calls = new Set<CallSession>();
  const events: string[] = [];
  return {
    events,
    begin(id) {
      let resolve!: (s: CallSummary) => void;
      const done = new Promise<CallSummary>((r) => (resolve = r));
      const end = (reason: string): void => {
        if (!calls.has(session)) return;
        calls.delete(session);
        events.push(`${id} ${reason}`);
        resolve({ callId: id, endReason: reason } as CallSummary);
      };
      const session = { callId: id, done, stop: (reason: string) => end(reason) } as unknown as CallSession;
      calls.add(session);
      return { end };
    },
    stopAccepting: () => events.push('stop accepting'),
    calls: () => [...calls],
    close: async () => {
      events.push('closed');
    },
  };
}

describe('drain()', () => {
  test('waits for a call that started during the drain, then closes without stopping anyone', async () => {
    const server = fakeServer();
    const a = server.begin('a');
    const drained = drain(server, { timeoutMs: 5000, flush: async () => void server.events.push('flushed') });
    const late = server.begin('late');
    a.end('completed');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(server.events, ['stop accepting', 'a completed'], 'still waiting for the late call');
    late.end('completed');
    assert.deepEqual(await drained, { finished: 2, stopped: 0 });
    assert.deepEqual(server.events, ['stop accepting', 'a completed', 'late completed', 'flushed', 'closed']);
  });

  test('at the deadline, calls still in progress are stopped with reason shutdown before the flush', async () => {
    const server = fakeServer();
    server.begin('idle');
    const done = server.begin('done');
    done.end('hangup');
    assert.deepEqual(await drain(server, { timeoutMs: 20, flush: async () => void server.events.push('flushed') }), { finished: 0, stopped: 1 });
    assert.deepEqual(server.events, ['done hangup', 'stop accepting', 'idle shutdown', 'flushed', 'closed']);
  });
});
