import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowMachineConfig } from '../../src/compile/index.js';
import { makeActions } from '../../src/compile/actions.js';
import { Parts } from '../../src/compile/parts.js';
import { makeGuards } from '../../src/compile/implementations.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';

type Node = Record<string, unknown>;

const GUARDS = new Set(Object.keys(makeGuards(new Parts())));
const DELAYS = new Set(['settle']);

/** Every state of a config with its path, depth first. */
function* walk(state: Node, path: string): Generator<[string, Node]> {
  yield [path, state];
  for (const [key, child] of Object.entries((state.states ?? {}) as Record<string, Node>)) yield* walk(child, `${path}.${key}`);
}

function transitionsOf(state: Node): Node[] {
  const list: Node[] = [];
  for (const value of Object.values((state.on ?? {}) as Record<string, unknown>)) list.push(...([value].flat() as Node[]));
  for (const value of Object.values((state.after ?? {}) as Record<string, unknown>)) list.push(...([value].flat() as Node[]));
  if (state.always) list.push(...([state.always].flat() as Node[]));
  return list;
}

test('every action, guard, delay and target the shipped flows name exists', async () => {
  const set = await loadFlows(['flows/']);
  const actions = new Set(Object.keys(makeActions(new Parts())));
  let checked = 0;
  for (const flow of set.flows.values()) {
    const { config } = flowMachineConfig(flow, set);
    const states = [...walk(config, flow.id)];
    const ids = new Set(states.flatMap(([, s]) => (typeof s.id === 'string' ? [s.id] : [])));
    for (const [path, state] of states) {
      const siblings = new Set(Object.keys(((states.find(([p]) => p === path.slice(0, path.lastIndexOf('.')))?.[1].states) ?? {}) as object));
      for (const a of [...((state.entry ?? []) as Node[]), ...transitionsOf(state).flatMap((t) => (t.actions ?? []) as Node[])]) {
        assert.ok(actions.has(a.type as string), `${path}: unknown action ${String(a.type)}`);
        checked++;
      }
      for (const t of transitionsOf(state)) {
        if (t.guard !== undefined) {
          const type = typeof t.guard === 'string' ? t.guard : (t.guard as Node).type as string;
          assert.ok(GUARDS.has(type), `${path}: unknown guard ${type}`);
        }
        if (typeof t.target === 'string') {
          const children = new Set(Object.keys((state.states ?? {}) as object));
          const ok = t.target.startsWith('#') ? ids.has(t.target.slice(1)) : t.target.startsWith('.') ? children.has(t.target.slice(1)) : siblings.has(t.target);
          assert.ok(ok, `${path}: target ${t.target} does not exist`);
        }
      }
      for (const delay of Object.keys((state.after ?? {}) as object)) {
        assert.ok(Number.isFinite(Number(delay)) || DELAYS.has(delay), `${path}: unknown delay ${delay}`);
      }
    }
  }
  assert.ok(checked > 100);
});
