/**
 * The config `createMachine` gets has no `after` and no `invoke`: each timer is started by a
 * delayed raise, the state's last entry action, and cancelled by its last exit action, its
 * transition waiting for its own event; each invoked actor is spawned after the state's entry actions and stopped after its
 * exit actions, its answers transitions under `on` (own-effects.ts). What the timers and the fetch
 * actor do is tested where each is used (menus, collects, fetch, record, transfer, the call's
 * maximum duration), on the machines built this way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assign, createActor, createMachine, fromPromise } from 'xstate';
import { SimClock } from '../../src/testing/sim-clock.js';
import { flowMachineConfig } from '../../src/compile/index.js';
import { drivenConfig } from '../../src/compile/implementations.js';
import { ownEffects, timerEvent } from '../../src/compile/own-effects.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';

type State = Record<string, unknown> & { states?: Record<string, State> };
/** An action of a list, as the test reads it: a plain `{ type }` or one of XState's builtins (a function with its options as properties). */
type Action = { type: string; id?: string; sendId?: string; delay?: unknown; event?: { type: string } };

/** A builtin timer action as data: `raise <id> <delay>` or `cancel <id>`. */
const shown = (action: unknown): string => {
  const a = action as Action;
  if (a.type === 'xstate.raise') return `raise ${a.id} ${typeof a.delay === 'function' ? 'from context' : String(a.delay)}${a.event?.type === a.id ? '' : ' (event differs)'}`;
  if (a.type === 'xstate.cancel') return `cancel ${a.sendId}`;
  return a.type;
};
const list = (value: unknown): string[] => [value].flat().map(shown);

test('each after becomes a delayed raise at the end of entry, a cancel at the end of exit and a transition on its own event', () => {
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
  assert.deepEqual(list(call.entry), ['raise ivr.timer.1800000.call 1800000']);
  assert.deepEqual(list(call.exit), ['cancel ivr.timer.1800000.call']);
  assert.deepEqual(call.on, { 'ivr.timer.1800000.call': { target: 'ended' } });
  assert.deepEqual(n0.entry, { type: 'enterNode' }, 'a state without after is left as it is');
  assert.deepEqual(n0.on, { dtmf: { target: '.keys' } });
  // Object keys that are numbers come in ascending order: 250 before 5000.
  assert.deepEqual(list(waiting.entry), [`raise ${timerEvent('call.n0.waiting', '250')} 250`, `raise ${timerEvent('call.n0.waiting', '5000')} 5000`]);
  assert.deepEqual(list(waiting.exit), ['cancel ivr.timer.250.call.n0.waiting', 'cancel ivr.timer.5000.call.n0.waiting']);
  assert.equal((waiting.on as Record<string, unknown>)['ivr.timer.5000.call.n0.waiting'], noInput, 'the transition itself, not a copy');
  const sending = n0.states!.sending!;
  assert.deepEqual(list(sending.entry), ['raise ivr.timer.settle.call.n0.sending from context'], 'a named delay is read when the timer starts');
  const settle = ([sending.entry].flat()[0] as { delay: (args: { context: { settleMs: number } }) => number }).delay;
  assert.equal(settle({ context: { settleMs: 750 } }), 750);
  assert.equal((sending.on as Record<string, unknown>)['ivr.timer.settle.call.n0.sending'], settled);
  assert.throws(() => ownEffects({ after: { soon: { target: 'x' } } }), /compiler bug: the delay `soon` is neither milliseconds nor one of settle/);
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
      const started = list(state.entry ?? []).filter((a) => a.startsWith('raise ')).map((a) => a.split(' ')[1]);
      const cancelled = list(state.exit ?? []).filter((a) => a.startsWith('cancel ')).map((a) => a.split(' ')[1]);
      assert.deepEqual(cancelled, started);
      assert.ok(list(state.entry ?? []).every((a) => !a.includes('(event differs)')));
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
  assert.deepEqual(entry.map((a) => a.type), ['count', 'xstate.raise', 'xstate.spawnChild'], 'after the entry actions and the timer, as XState spawns an invoke');
  assert.deepEqual(exit.map((a) => a.type), ['leave', 'xstate.cancel', 'xstate.stopChild']);
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
      actions: { count: () => {}, leave: () => {} },
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

/**
 * The same machine with XState's own `after` and `invoke`, and with them written as own-effects.ts
 * writes them: the same random events and waits, on the simulated clock in steps of at most 50 ms
 * (so an actor's answer can come between two timers), must give the same log of entries, exits,
 * transitions, actor answers and failures, the same state and the same timers pending. Entry
 * actions that the timer's delay and the actor's input read, and a parent and a child with the
 * same delay, make the order of the started effects and their names matter.
 */
test('against XState: random calls of a machine with nested timers, a named delay, re-entry, a timer left at once and an actor give the same run', async () => {
  type Ctx = { log: string[]; settleMs: number; n: number };
  const note = (what: string) => ({ type: 'note', params: { what } });
  const config = () => ({
    id: 'm',
    initial: 'call',
    context: { log: [], settleMs: 333, n: 0 },
    states: {
      call: {
        entry: [note('enter call')],
        exit: [note('exit call')],
        after: { 8000: { target: 'ended', actions: [note('max duration')] } },
        on: { hangup: { target: 'ended' }, slower: { actions: [{ type: 'slower' }] } },
        initial: 'menu',
        states: {
          menu: {
            entry: [note('enter menu')],
            exit: [note('exit menu')],
            on: { key: { target: '.keys', reenter: true, actions: [note('key')] }, skip: { target: 'transfer' }, fetch: { target: 'fetching' } },
            // The same delay as its child `waiting`: each timer needs a name of its own.
            after: { 700: { actions: [note('menu 700')] } },
            initial: 'waiting',
            states: {
              waiting: { after: { 700: { target: 'noInput', actions: [note('timeout')] } } },
              keys: { entry: [note('enter keys')], after: { 300: { actions: [note('inter-digit')] }, 900: { target: '#m.call.menu.waiting' } } },
              noInput: { always: [{ target: '#m.call.menu.waiting', reenter: true, actions: [note('again')] }], after: { 50: { actions: [note('never')] } } },
            },
          },
          // Its entry sets what its timer waits (settle), as a transfer's sendDtmf does.
          transfer: { entry: [{ type: 'slower' }, note('sending')], after: { settle: { target: 'menu', actions: [note('settled')] } } },
          fetching: {
            // Its entry sets what the actor is given, as a fetch's startFetch does.
            entry: [{ type: 'count' }],
            invoke: { id: 'fetch', src: 'fetch', input: ({ context }: { context: Ctx }) => context.n, onDone: { target: 'menu', actions: [note('fetched')] }, onError: { target: 'menu', actions: [note('failed')] } },
            after: { 400: { target: 'fetching', reenter: true, actions: [note('retry')] } },
            on: { cancel: { target: 'menu' } },
          },
        },
      },
      ended: { type: 'final', entry: [note('ended')] },
    },
  });
  const START = 1_000_000;
  const implementations = (clock: SimClock) => ({
    actions: {
      note: assign(({ context, event }: { context: Ctx; event: { type: string; output?: unknown; error?: unknown } }, params: { what: string }) => {
        const cause = event.type.startsWith('ivr.timer.') || event.type.startsWith('xstate.after.') ? 'timer' : event.type;
        const answer = 'output' in event ? ` = ${String(event.output)}` : 'error' in event ? ` ! ${String((event.error as Error).message)}` : '';
        return { log: [...context.log, `${clock.now() - START}: ${params.what} (${cause})${answer}`] };
      }),
      slower: assign(({ context }: { context: Ctx }) => ({ settleMs: context.settleMs + 200 })),
      count: assign(({ context }: { context: Ctx }) => ({ n: context.n + 1 })),
    },
    actors: {
      // By the count the entry set: a request that fails at 100 ms, one answered at 300 ms, one too late for the 400 ms retry.
      fetch: fromPromise(({ input }: { input: number }) => new Promise((resolve, reject) => clock.setTimeout(() => (input % 3 === 1 ? reject(new Error(`no ${input}`)) : resolve(input * 10)), [450, 100, 300][input % 3]!))),
    },
    delays: { settle: ({ context }: { context: Ctx }) => context.settleMs },
  });
  const run = async (own: boolean, seed: number): Promise<string[]> => {
    const clock = new SimClock(START);
    const machine = createMachine((own ? ownEffects(config() as never) : config()) as never, implementations(clock) as never);
    const actor = createActor(machine, { clock }).start();
    let state = seed;
    // An LCG's high bits (its low bits repeat with a short period).
    const random = (n: number): number => ((state = (state * 1103515245 + 12345) % 2147483648), Math.floor(state / 65536) % n);
    const seen: string[] = [];
    for (let step = 0; step < 40 && actor.getSnapshot().status === 'active'; step++) {
      const choice = random(8);
      if (choice < 4) {
        // In steps of at most 50 ms, each followed by the promise reactions due (an actor's answer).
        for (let left = [50, 150, 299, 300, 301, 700, 1000][random(7)]!; left > 0; left -= 50) {
          clock.advance(Math.min(50, left));
          await new Promise((resolve) => setImmediate(resolve));
        }
      } else actor.send({ type: ['key', 'skip', 'fetch', 'skip', 'cancel', 'slower', 'fetch', 'hangup'][random(choice === 7 ? 8 : 7)]! } as never);
      await new Promise((resolve) => setImmediate(resolve));
      const snapshot = actor.getSnapshot();
      seen.push(`${JSON.stringify(snapshot.value)} timers ${clock.pending()} children ${Object.keys(snapshot.children).join(',')}`);
    }
    seen.push(...(actor.getSnapshot().context as Ctx).log);
    actor.stop();
    return seen;
  };
  const happened = new Map<string, number>();
  for (let seed = 1; seed <= 60; seed++) {
    const plain = await run(false, seed);
    assert.deepEqual(await run(true, seed), plain, `seed ${seed}`);
    for (const line of plain) for (const what of ['fetched', 'failed', 'settled', 'retry', 'menu 700', 'timeout', 'inter-digit', 'max duration']) if (line.includes(`: ${what} (`)) happened.set(what, (happened.get(what) ?? 0) + 1);
  }
  // What the runs must have gone through for the comparison to mean anything.
  for (const what of ['fetched', 'failed', 'settled', 'retry', 'menu 700', 'timeout', 'inter-digit', 'max duration']) assert.ok((happened.get(what) ?? 0) >= 3, `${what}: ${happened.get(what) ?? 0} times in 60 calls`);
});
