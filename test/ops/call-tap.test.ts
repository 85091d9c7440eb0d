/**
 * The call tap with a scripted session: what watchers see, in what order, masked how; a failing
 * watcher never touches the call; `done` waits for the watchers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallSession, CallSessionOptions, CallSummary, StartInfo } from '../../src/call/call-session.js';
import type { Command } from '../../src/compile/protocol.js';
import type { CompiledFlow } from '../../src/compile/compiled-flow.js';
import type { StartCall } from '../../src/plivo/server-options.js';
import { tapStartCall, type InboundEvent } from '../../src/ops/call-tap.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { SimClock } from '../../src/testing/sim-clock.js';

const flow = {
  id: 'f',
  version: 'v1',
  flow: { doc: { ivr: 1, nodes: { menu: { menu: {} }, pin: { collect: { into: 'pin', sensitive: true } } } } },
} as unknown as CompiledFlow;

const start: StartInfo = { call: { callId: 'c1', streamId: 's1', accountId: 'A', headers: {} }, format: 'audio/x-mulaw;rate=8000' };

/** A session that emits the commands the test gives it, and logs what it is told to. */
function scripted(): { startCall: StartCall; emit(cmd: Command): void; finish(reason: string): void; logged: string[]; options?: CallSessionOptions } {
  const out: ReturnType<typeof scripted> = {
    logged: [],
    emit: () => {},
    finish: () => {},
    startCall: (_start, transport, options) => {
      out.options = options;
      let resolve!: (s: CallSummary) => void;
      const done = new Promise<CallSummary>((r) => (resolve = r));
      out.emit = (cmd) => options.observer?.command?.(cmd, session);
      out.finish = (reason) => {
        transport.close(1000, reason);
        resolve({ callId: 'c1', streamId: 's1', flowId: 'f', version: 'v1', startedAt: 0, endedAt: 5, endReason: reason, nodes: [], inputs: [], fetches: [], recordings: [] });
      };
      const session = {
        callId: 'c1', flowId: 'f', version: 'v1', wantsMedia: false, node: '', done,
        dtmf: (d: string) => options.log?.info({ url: `https://x/accounts/${d}` }, `got ${d}`),
        played: () => {}, cleared: () => {}, media: () => {}, hangup: () => {}, stop: () => {}, vars: () => ({}),
      } as unknown as CallSession;
      return session;
    },
  };
  return out;
}

function options(logged: string[]): CallSessionOptions {
  return {
    flow, prompts: {} as CallSessionOptions['prompts'], clock: new SimClock(0), fetcher: async () => ({ status: 200, headers: {}, body: null }),
    log: { info: (o, m) => logged.push(`${m} ${JSON.stringify(o)}`), warn: (o, m) => logged.push(`${m} ${JSON.stringify(o)}`), error: (o, m) => logged.push(`error: ${m}`) },
  };
}

describe('tapStartCall', () => {
  test('keys in a sensitive collect reach watchers as *, and typed digits are scrubbed from the session log', () => {
    const s = scripted();
    const seen: InboundEvent[] = [];
    const logged: string[] = [];
    const session = tapStartCall(s.startCall, [() => ({ inbound: (e) => seen.push(e) })])(start, { send: () => {}, close: () => {} }, options(logged));
    s.emit({ type: 'node', node: 'menu', flow: 'f' });
    session.dtmf('1');
    s.emit({ type: 'node', node: 'pin', flow: 'f' });
    for (const d of '4321') session.dtmf(d);
    assert.deepEqual(seen, [
      { event: 'dtmf', digit: '1', sensitive: false },
      ...[1, 2, 3, 4].map(() => ({ event: 'dtmf', digit: '*', sensitive: true })),
    ]);
    assert.equal(logged.at(-1), 'got 1 {"url":"https://x/accounts/1"}', 'a lone digit is left alone');
    s.emit({ type: 'input', node: 'pin', value: '***', sensitive: true, outcome: 'match' });
    s.options!.log!.info({ url: 'https://x/accounts/4321' }, 'fetch 4321');
    assert.equal(logged.at(-1), 'fetch *** {"url":"https://x/accounts/***"}');
  });

  test('a throwing watcher is logged and the call goes on; done waits for every watcher', async () => {
    const s = scripted();
    const logged: string[] = [];
    let recorded = false;
    const tap = tapStartCall(s.startCall, [
      () => ({ command: () => { throw new Error('boom'); } }),
      () => ({ ended: () => new Promise<void>((r) => setImmediate(() => { recorded = true; r(); })) }),
    ]);
    const session = tap(start, { send: () => {}, close: () => {} }, options(logged));
    s.emit({ type: 'node', node: 'menu', flow: 'f' });
    assert.ok(logged.includes('error: a call watcher failed (the call goes on)'));
    s.finish('completed');
    const summary = await session.done;
    assert.equal(summary.endReason, 'completed');
    assert.equal(recorded, true, 'done resolved only after the watcher finished');
  });

  test('a hang-up after the session closed the stream is not reported as the caller hanging up', () => {
    const s = scripted();
    const seen: string[] = [];
    const session = tapStartCall(s.startCall, [() => ({ inbound: (e) => seen.push(e.event) })])(start, { send: () => {}, close: () => {} }, options([]));
    s.finish('completed');
    session.hangup();
    assert.deepEqual(seen, []);
  });

  test('a session that fails to start leaves the active-calls gauge at zero', async () => {
    const metrics = createMetrics();
    const failing: StartCall = () => {
      throw new Error('no machine');
    };
    const tap = tapStartCall(failing, [metrics.watchCall]);
    assert.throws(() => tap(start, { send: () => {}, close: () => {} }, options([])), /no machine/);
    assert.match((await metrics.scrape()).body, /^ivr_active_calls 0$/m);
  });
});
