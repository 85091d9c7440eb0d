/**
 * fuse-steps.ts changes how the machine runs a list of actions (one XState action for the list),
 * never what a call does: the same shipped flows, fused and not, emit the same commands and end
 * with the same context under the same scripted callers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createActor, type AnyStateMachine } from 'xstate';
import { flowMachineConfig } from '../../src/compile/compile-flow.js';
import { compileFlow } from '../../src/compile/index.js';
import { STEPS_ACTION, fuseSteps } from '../../src/compile/fuse-steps.js';
import { machineSetup } from '../../src/compile/implementations.js';
import type { Command } from '../../src/compile/protocol.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
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
    const set = await loadFlows([FLOWS]);
    let flows = 0;
    for (const flow of set.flows.values()) {
      const { parts } = flowMachineConfig(flow, set);
      const fused = compileFlow(flow, set).machine;
      // The same machine with every `steps` action spread back into its list.
      const unfused = unfuse(fused.config);
      assert.notDeepEqual(unfused, fused.config, `${flow.id} has lists to fuse`);
      const plain = machineSetup(parts).createMachine(unfused as never) as unknown as AnyStateMachine;
      for (let seed = 1; seed <= 25; seed++) {
        const a = drive(plain, seed);
        const b = drive(fused, seed);
        assert.deepEqual(b.commands, a.commands, `${flow.id}, caller ${seed}`);
        assert.deepEqual(b.context, a.context, `${flow.id}, caller ${seed}`);
      }
      flows++;
    }
    assert.ok(flows >= 5);
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

/** A scripted caller: keys, acknowledged prompts and waits, chosen by a seeded generator. */
function drive(machine: AnyStateMachine, seed: number): { commands: Command[]; context: unknown } {
  let state = seed;
  const random = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const clock = new SimClock();
  const commands: Command[] = [];
  const actor = createActor(machine, {
    input: { call: { callId: `c${seed}`, streamId: 's', accountId: 'MA', headers: {} }, now: () => clock.now() },
    clock,
  });
  actor.on('*', (command) => { commands.push(command as Command); });
  actor.start();
  for (let i = 0; i < 60 && actor.getSnapshot().status === 'active'; i++) {
    const what = random(3);
    if (what === 0) actor.send({ type: 'dtmf', digit: '0123456789*#'[random(12)]! });
    else if (what === 1) {
      const play = [...commands].reverse().find((c) => c.type === 'play');
      if (play?.type === 'play') actor.send({ type: 'playback.finished', playbackId: play.playbackId });
    } else clock.advance(random(8000));
  }
  actor.stop();
  const { now: _now, ...context } = actor.getSnapshot().context as Record<string, unknown>;
  return { commands, context };
}
