import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CallTimers } from '../../src/call/call-timers.js';
import { silentLog } from '../../src/call/call-log.js';
import { PlaybackQueue } from '../../src/call/playback-queue.js';
import { SimClock } from '../../src/testing/sim-clock.js';
import { fakePrompts } from './support/fake-prompts.js';

type Op = { op: 'play'; prompt: 'welcome' | 'menu' } | { op: 'ack'; pick: number } | { op: 'clear' } | { op: 'wait'; ms: number };

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('play' as const), prompt: fc.constantFrom('welcome' as const, 'menu' as const) }),
    fc.record({ op: fc.constant('ack' as const), pick: fc.nat(20) }),
    fc.record({ op: fc.constant('clear' as const) }),
    fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 4000 }) }),
  ),
  { maxLength: 40 },
);

describe('playback queue (property)', () => {
  test('whatever Plivo acknowledges, clears and delays: each playback finishes at most once, never after being cleared, and every live one finishes in the end', () => {
    fc.assert(
      fc.property(ops, (script: Op[]) => {
        const clock = new SimClock();
        const timers = new CallTimers(clock, (err) => {
          throw err;
        });
        const finished: number[] = [];
        const sentNames: string[] = [];
        const cleared = new Set<number>();
        const live = new Set<number>();
        const queue = new PlaybackQueue({
          streamId: 's',
          format: 'audio/x-mulaw;rate=8000',
          prompts: fakePrompts({ welcome: 1000, menu: 2500 }),
          clock,
          timers,
          log: silentLog,
          graceMs: 2000,
          send: () => {},
          sayFailed: () => {},
          finished: (id) => {
            assert.ok(live.has(id), `playback ${id} finished while not live`);
            live.delete(id);
            finished.push(id);
          },
        });
        let nextId = 1;
        for (const step of script) {
          if (step.op === 'play') {
            const id = nextId++;
            live.add(id);
            sentNames.push(queue.play(id, [{ prompt: step.prompt, flow: 'f' }]) ?? '');
          } else if (step.op === 'ack' && sentNames.length > 0) {
            queue.played(sentNames[step.pick % sentNames.length] ?? '');
          } else if (step.op === 'clear') {
            for (const id of live) cleared.add(id);
            live.clear();
            queue.clear();
          } else if (step.op === 'wait') {
            clock.advance(step.ms);
          }
        }
        clock.advance(10 * 60_000);
        assert.equal(new Set(finished).size, finished.length, 'no playback finishes twice');
        assert.ok(finished.every((id) => !cleared.has(id)), 'no cleared playback finishes');
        assert.equal(live.size, 0, 'every live playback finished');
        assert.equal(clock.pending(), 0);
        assert.deepEqual(queue.waiting, []);
        // Plivo plays in order: playbacks finish in the order they were queued.
        assert.deepEqual(finished, [...finished].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });
});
