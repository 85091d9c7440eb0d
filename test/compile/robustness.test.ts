import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createActor } from 'xstate';
import { compileFlowSet } from '../../src/compile/index.js';
import type { Command, MachineEvent } from '../../src/compile/protocol.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { SimClock } from '../../src/testing/sim-clock.js';
import { fetchByHand, flush, type FetchAttempt } from './harness.js';

type Step =
  | { kind: 'key'; digit: string }
  | { kind: 'played' }
  | { kind: 'stalePlayed'; back: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'fetchDone'; balance: number; stale: boolean }
  | { kind: 'fetchFailed' }
  | { kind: 'recordDone' }
  | { kind: 'hangup' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'0123456789*#').map((digit) => ({ kind: 'key' as const, digit })) },
  { weight: 5, arbitrary: fc.constant({ kind: 'played' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((back) => ({ kind: 'stalePlayed' as const, back })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 40_000 }).map((ms) => ({ kind: 'wait' as const, ms })) },
  { weight: 2, arbitrary: fc.record({ balance: fc.double({ min: -1e6, max: 1e6, noNaN: true }), stale: fc.boolean() }).map((r) => ({ kind: 'fetchDone' as const, ...r })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fetchFailed' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'recordDone' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hangup' as const }) },
);

test('any sequence of caller and runtime events: no crash, one end at most and nothing after it, timers gone at the end', async () => {
  const set = await loadFlows(['flows/']);
  const compiled = compileFlowSet(set);
  assert.ok(compiled.size >= 3, 'the shipped flows compile');
  // Each fetch attempt waits for the run to answer it (or to leave it: a stale answer).
  const attempts: FetchAttempt[] = [];
  const machines = [...compiled.values()].map((flow) => flow.machine.provide({ actors: { fetch: fetchByHand(attempts) } }));

  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: machines.length - 1 }), fc.array(step, { maxLength: 60 }), async (which, steps) => {
    attempts.length = 0;
    const clock = new SimClock();
    const commands: Command[] = [];
    const actor = createActor(machines[which]!, {
      input: { call: { callId: 'c', streamId: 's', accountId: 'a', headers: {} } },
      clock,
    });
    actor.on('commands', (batch) => { commands.push(...batch.commands); });
    actor.start();
    let hungUpAt = -1;
    const latest = <T extends Command['type']>(type: T) => [...commands].reverse().find((c) => c.type === type) as Extract<Command, { type: T }> | undefined;
    const send = (event: MachineEvent) => actor.send(event);
    for (const s of steps) {
      const requestId = latest('record.start')?.requestId ?? 0;
      switch (s.kind) {
        case 'key': send({ type: 'dtmf', digit: s.digit, at: clock.now() }); break;
        case 'played': { const p = latest('play'); if (p) send({ type: 'playback.finished', playbackId: p.playbackId }); break; }
        case 'stalePlayed': { const p = latest('play'); if (p) send({ type: 'playback.finished', playbackId: p.playbackId - s.back }); break; }
        case 'wait': clock.advance(s.ms); break;
        case 'fetchDone': attempts.at(s.stale ? -2 : -1)?.answer({ status: 200, headers: {}, body: { balance: s.balance, ready: true, days: 2 } }); await flush(); break;
        case 'fetchFailed': attempts.at(-1)?.fail(new Error('refused')); await flush(); break;
        case 'recordDone': send({ type: 'record.done', requestId, path: '/r.wav', durationMs: 1, reason: 'terminator' }); break;
        case 'hangup': if (hungUpAt < 0) hungUpAt = commands.length; send({ type: 'hangup' }); break;
      }
      assert.notEqual(actor.getSnapshot().status, 'error');
    }
    const ends = commands.filter((c) => c.type === 'end');
    assert.ok(ends.length <= 1, 'one end at most');
    if (ends.length === 1) assert.equal(commands.at(-1)?.type, 'end', 'end is the last command');
    if (hungUpAt >= 0) assert.equal(commands.length, hungUpAt, 'nothing after hangup');
    const ids = commands.flatMap((c) => (c.type === 'play' ? [c.playbackId] : []));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'playback ids increase');
    assert.equal(new Set(ids).size, ids.length, 'playback ids are unique');
    if (actor.getSnapshot().status === 'done') assert.equal(clock.pending(), 0, 'no timer outlives the call');
    actor.stop();
  }), { numRuns: 300 });
});
