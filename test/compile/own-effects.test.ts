/**
 * The config `createMachine` gets has no `after` and no `invoke`: each timer is started by its
 * state's last entry action and cancelled by its last exit action, its transition waiting for its
 * own event; each invoked actor is spawned after the state's entry actions and stopped after its
 * exit actions, its answers transitions under `on` (own-effects.ts). What the timers and the fetch
 * actor do is tested where each is used (menus, collects, fetch, record, transfer, the call's
 * maximum duration), on the machines built this way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActor, createMachine, fromPromise } from 'xstate';
import { flowMachineConfig } from '../../src/compile/index.js';
import { drivenConfig } from '../../src/compile/implementations.js';
import { ownEffects, timerEvent } from '../../src/compile/own-effects.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';

type State = Record<string, unknown> & { states?: Record<string, State> };

test('each after becomes a start at the end of entry, a cancel at the end of exit and a transition on its own event', () => {
  const noInput = { target: 'noInput' };
  const settled = [{ target: '#n:next' }];
  const shared = { hangup: { target: 'hungUp' } };
  const config: State = {
    states: {
      call: {
        after: { 1800000: { target: 'ended' } },
        states: {
          n0: {
            entry: { type: 'enterNode' },
            exit: [{ type: 'leave' }],
            on: { dtmf: { target: '.keys' } },
            states: {
              waiting: { after: { 5000: noInput, 250: { actions: [{ type: 'decideNow' }] } } },
              sending: { on: shared, after: { settle: settled } },
              other: { on: shared },
            },
          },
        },
      },
    },
  };
  ownEffects(config);
  const call = config.states!.call!;
  const n0 = call.states!.n0!;
  const waiting = n0.states!.waiting!;
  assert.equal(JSON.stringify(config).includes('"after"'), false, 'no after left');
  assert.deepEqual(call.entry, [{ type: 'startTimer', params: { event: 'ivr.timer.1800000.call', delay: 1800000 } }]);
  assert.deepEqual(call.exit, [{ type: 'cancelTimer', params: { event: 'ivr.timer.1800000.call' } }]);
  assert.deepEqual(call.on, { 'ivr.timer.1800000.call': { target: 'ended' } });
  assert.deepEqual(n0.entry, { type: 'enterNode' }, 'a state without after is left as it is');
  assert.deepEqual(n0.on, { dtmf: { target: '.keys' } });
  // Object keys that are numbers come in ascending order: 250 before 5000.
  assert.deepEqual(waiting.entry, [
    { type: 'startTimer', params: { event: timerEvent('call.n0.waiting', '250'), delay: 250 } },
    { type: 'startTimer', params: { event: timerEvent('call.n0.waiting', '5000'), delay: 5000 } },
  ]);
  assert.deepEqual(waiting.exit, [{ type: 'cancelTimer', params: { event: 'ivr.timer.250.call.n0.waiting' } }, { type: 'cancelTimer', params: { event: 'ivr.timer.5000.call.n0.waiting' } }]);
  assert.equal((waiting.on as Record<string, unknown>)['ivr.timer.5000.call.n0.waiting'], noInput, 'the transition itself, not a copy');
  const sending = n0.states!.sending!;
  assert.deepEqual(sending.entry, [{ type: 'startTimer', params: { event: 'ivr.timer.settle.call.n0.sending', delay: 'settle' } }], 'a named delay is read when the timer starts');
  assert.equal((sending.on as Record<string, unknown>)['ivr.timer.settle.call.n0.sending'], settled);
  assert.deepEqual(Object.keys(shared), ['hangup'], 'an `on` table two states share is copied, not added to');
  assert.equal(n0.states!.other!.on, shared);
});

test('the shipped flows: every timer of the config createMachine gets has one start, one cancel and one transition, in the same state; no invoke is left', async () => {
  const set = await loadFlows(['flows/']);
  let timers = 0;
  for (const flow of set.flows.values()) {
    let afters = 0;
    const count = (state: State): void => {
      afters += Object.keys(state.after ?? {}).length;
      for (const child of Object.values(state.states ?? {})) count(child);
    };
    count(flowMachineConfig(flow, set).config as State);
    const before = timers;
    const driven = drivenConfig(flowMachineConfig(flow, set).config) as State;
    const visit = (state: State): void => {
      assert.equal(state.after, undefined);
      assert.equal(state.invoke, undefined);
      const lists = JSON.stringify([state.entry, state.exit]);
      const started = [...lists.matchAll(/"type":"startTimer","params":\{"event":"([^"]+)"/g)].map((m) => m[1]);
      const cancelled = [...lists.matchAll(/"type":"cancelTimer","params":\{"event":"([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(cancelled, started);
      for (const event of started) assert.ok(event! in ((state.on ?? {}) as object), `${flow.id}: ${event} has its transition`);
      timers += started.length;
      for (const child of Object.values(state.states ?? {})) visit(child);
    };
    visit(driven);
    assert.equal(timers - before, afters, `${flow.id}: one timer for each after`);
  }
  assert.ok(timers >= 20, `${timers} timers in the shipped flows`);
});

test('an invoke becomes a spawn at the end of entry, a stop at the end of exit and its answers under on; the actor runs and is stopped as an invoked one', async () => {
  const onDone = { target: 'done' };
  const onError = { target: 'failed' };
  const config: State = {
    id: 'm',
    initial: 'attempt',
    states: {
      attempt: {
        entry: [{ type: 'count' }],
        exit: { type: 'leave' },
        invoke: { id: 'fetch', src: 'fetch', input: ({ context }: { context: { n: number } }) => ({ n: context.n }), onDone, onError },
        after: { 1000: { target: 'failed' } },
      },
      done: {},
      failed: {},
    },
  };
  ownEffects(config);
  const attempt = config.states!.attempt!;
  assert.equal(attempt.invoke, undefined);
  const entry = attempt.entry as { type: string }[];
  const exit = attempt.exit as { type: string }[];
  assert.deepEqual(entry.map((a) => a.type), ['count', 'startTimer', 'xstate.spawnChild'], 'after the entry actions and the timer, as XState spawns an invoke');
  assert.deepEqual(exit.map((a) => a.type), ['leave', 'cancelTimer', 'xstate.stopChild']);
  const on = attempt.on as Record<string, unknown>;
  assert.equal(on['xstate.done.actor.fetch'], onDone);
  assert.equal(on['xstate.error.actor.fetch'], onError);
  assert.throws(() => ownEffects({ invoke: { id: 'fetch', src: 'fetch', onSnapshot: {} } }), /compiler bug: an invoke must have/);

  // Run it: the input is read when the state is entered; the answer takes onDone; a state left stops the actor (its signal aborts).
  let seen: unknown;
  let aborted = false;
  const machine = createMachine(
    { ...(config as object), context: { n: 7 } } as never,
    {
      actions: { count: () => {}, leave: () => {}, startTimer: () => {}, cancelTimer: () => {} },
      actors: {
        fetch: fromPromise(async ({ input, signal }: { input: unknown; signal: AbortSignal }) => {
          seen = input;
          signal.addEventListener('abort', () => (aborted = true));
          return 'ok';
        }),
      },
    } as never,
  );
  const actor = createActor(machine).start();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, { n: 7 });
  assert.equal(actor.getSnapshot().value, 'done');
  assert.equal(aborted, false, 'an actor that answered is not aborted');
  actor.stop();

  const leaving = ownEffects({
    id: 'm',
    initial: 'attempt',
    states: { attempt: { on: { cancel: { target: 'failed' } }, invoke: { id: 'fetch', src: 'fetch', onDone, onError } }, done: {}, failed: {} },
  });
  let started = false;
  const slow = createActor(createMachine(leaving as never, {
    actors: {
      fetch: fromPromise(({ signal }: { signal: AbortSignal }) => {
        started = true;
        signal.addEventListener('abort', () => (aborted = true));
        return new Promise<never>(() => {});
      }),
    },
  } as never)).start();
  assert.equal(started, true);
  slow.send({ type: 'cancel' });
  assert.equal(slow.getSnapshot().value, 'failed');
  assert.equal(aborted, true, 'leaving the state stops the actor: its request is aborted');
  assert.deepEqual(Object.keys(slow.getSnapshot().children), []);
  slow.stop();
});
