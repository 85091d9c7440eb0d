/**
 * fuse-steps.ts changes how the machine runs a list of actions (one XState action for the list),
 * never what a call does: the same shipped flows, fused and not, emit the same commands and end
 * with the same context under the same scripted callers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createActor, fromPromise, type AnyStateMachine } from 'xstate';
import { flowMachineConfig } from '../../src/compile/compile-flow.js';
import { compileFlow } from '../../src/compile/index.js';
import { STEPS_ACTION, fuseSteps } from '../../src/compile/fuse-steps.js';
import { machineSetup } from '../../src/compile/implementations.js';
import { FetchError } from '../../src/compile/fetch-failure.js';
import type { Command, FetchRequest, FetchResponse } from '../../src/compile/protocol.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { flowSet, loadedFlow } from './harness.js';
import { CHILD, GRANDCHILD, PARENT } from './nested-subflows.js';
import { SimClock } from '../../src/testing/sim-clock.js';

const FLOWS = fileURLToPath(new URL('../../../flows', import.meta.url));

describe('fusing step actions', () => {
  test('runs of two or more step actions become one `steps` action; single ones and other actions stay', () => {
    const names = new Set(['a', 'b', 'c']);
    const config = {
      entry: [{ type: 'a' }, { type: 'b', params: { x: 1 } }],
      states: {
        s: {
          exit: [{ type: 'a' }],
          on: { go: [{ guard: 'g', target: 't', actions: [{ type: 'a' }, { type: 'other' }, { type: 'b' }, { type: 'c' }] }] },
          always: { target: 'u', actions: [{ type: 'c', params: { entry: [{ type: 'a' }, { type: 'b' }] } }] },
        },
      },
    };
    const fused = fuseSteps(structuredClone(config), names) as typeof config & Record<string, never>;
    assert.deepEqual(fused.entry, [{ type: STEPS_ACTION, params: { steps: [{ type: 'a' }, { type: 'b', params: { x: 1 } }] } }]);
    const s = (fused.states as Record<string, Record<string, unknown>>).s!;
    assert.deepEqual(s.exit, [{ type: 'a' }]);
    assert.deepEqual((s.on as { go: { actions: unknown[] }[] }).go[0]!.actions,
      [{ type: 'a' }, { type: 'other' }, { type: STEPS_ACTION, params: { steps: [{ type: 'b' }, { type: 'c' }] } }]);
    // Params are data, never walked: a variable named `entry` is left alone.
    assert.deepEqual(s.always, config.states.s.always);
  });

  test('the shipped flows emit the same commands and end with the same context, fused or not', async () => {
    const shipped = await loadFlows([FLOWS]);
    // A caller's global key with `set` inside nested subflows: its fused list leaves the subflows
    // and then assigns, so the `set` must see the caller's variables (an order the shipped flows never need).
    const nested = flowSet(loadedFlow(PARENT), loadedFlow(CHILD), loadedFlow(GRANDCHILD));
    let flows = 0;
    const seen = { fetchOk: 0, fetchFailed: 0, terminatorConsumed: 0, leftSubflowWithSet: 0 };
    for (const [set, flow] of [...[...shipped.flows.values()].map((f) => [shipped, f] as const), [nested, nested.flows.get('main')!] as const]) {
      const { parts } = flowMachineConfig(flow, set);
      const fused = compileFlow(flow, set).machine;
      // The same machine with every `steps` action spread back into its list.
      const unfused = unfuse(fused.config);
      assert.notDeepEqual(unfused, fused.config, `${flow.id} has lists to fuse`);
      const plain = machineSetup(parts).createMachine(unfused as never) as unknown as AnyStateMachine;
      for (let seed = 1; seed <= 25; seed++) {
        const a = await drive(plain, seed);
        const b = await drive(fused, seed);
        assert.deepEqual(b.commands, a.commands, `${flow.id}, caller ${seed}`);
        assert.deepEqual(b.context, a.context, `${flow.id}, caller ${seed}`);
        for (const c of a.commands) {
          if (c.type === 'fetched' && c.outcome === 'ok') seen.fetchOk++;
          if (c.type === 'fetched' && c.outcome !== 'ok') seen.fetchFailed++;
          if (c.type === 'log' && c.message.startsWith('terminator after max digits')) seen.terminatorConsumed++;
        }
        if ((a.context as { vars: { via?: string } }).vars.via === 'star') seen.leftSubflowWithSet++;
      }
      flows++;
    }
    assert.ok(flows >= 6);
    // The callers reached what fused lists must keep in order: answered and failed fetches, the
    // terminator a collect consumes after its last digit (the guard reads the key's `at`), and a
    // caller's global key taken inside a subflow.
    assert.ok(Object.values(seen).every((n) => n > 0), JSON.stringify(seen));
  });
});

function unfuse(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown) => {
      const action = item as { type?: unknown; params?: { steps?: unknown[] } };
      return action !== null && typeof action === 'object' && action.type === STEPS_ACTION ? action.params!.steps! : [unfuse(item)];
    });
  }
  if (value === null || typeof value !== 'object' || typeof value === 'function') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'params' ? v : unfuse(v)]));
}

/**
 * A scripted caller: keys (one at a time, or digits then `#`, each with its `at`), acknowledged
 * prompts and waits, chosen by a seeded generator; its fetches are answered (200 with a body the
 * shipped flows read; 503 for every third caller) by a fetch actor provided the way `ivr serve` does.
 */
async function drive(machine: AnyStateMachine, seed: number): Promise<{ commands: Command[]; context: unknown }> {
  // mulberry32: a small seeded generator whose low bits are not periodic.
  let state = seed;
  const random = (n: number): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
  const fetch = fromPromise<FetchResponse, FetchRequest | null>(async () => {
    if (seed % 3 === 0) throw new FetchError('status', 'HTTP 503', 503);
    return { status: 200, headers: {}, body: { found: true, when: 'Tuesday', doctor: 'Lee', refillId: 'R1', readyInDays: 2, balance: 12.5 } };
  });
  const clock = new SimClock();
  const commands: Command[] = [];
  const actor = createActor(machine.provide({ actors: { fetch } }), {
    input: { call: { callId: `c${seed}`, streamId: 's', accountId: 'MA', headers: {} } },
    clock,
  });
  actor.on('commands', (batch) => { commands.push(...batch.commands); });
  actor.start();
  const press = (digit: string): void => actor.send({ type: 'dtmf', digit, at: clock.now() });
  for (let i = 0; i < 60 && actor.getSnapshot().status === 'active'; i++) {
    const what = random(4);
    if (what === 0) press('0123456789*#'[random(12)]!);
    else if (what === 1) {
      const play = [...commands].reverse().find((c) => c.type === 'play');
      if (play?.type === 'play') actor.send({ type: 'playback.finished', playbackId: play.playbackId });
    } else if (what === 2) clock.advance(random(8000));
    else {
      for (let k = 5 + random(7); k > 0; k--) press(String(random(10)));
      press('#');
    }
    // Let a fetch actor's promise settle before the next step.
    await new Promise((resolve) => setImmediate(resolve));
  }
  actor.stop();
  const { now: _now, ...context } = actor.getSnapshot().context as Record<string, unknown>;
  return { commands, context };
}
