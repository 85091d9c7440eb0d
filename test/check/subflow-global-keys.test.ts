import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allDiagnostics, loadSet } from './flow-dir.js';

const caller = (subflow: string) => `ivr: 1
global: { "0": operator }
nodes:
  pin:
    subflow: ${subflow}
    next: bye
  operator: { end: { reason: operator } }
  bye: { end: {} }
`;
const child = (global = '') => `ivr: 1
vars: { pin: "" }
${global}nodes:
  ask:
    collect: { prompt: hello, into: pin, min: 4, max: 4 }
    next: done
  done: { return: {} }
  help: { play: hello, next: ask }
`;

async function found(files: Record<string, string>): Promise<string[]> {
  const set = await loadSet({ ...files, 'prompts/hello.wav': 'test/fixtures/broken/prompts/hello.wav' }, ['caller.yaml']);
  return allDiagnostics(set).filter((d) => d.code !== 'unreachable-node').map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);
}

describe("a caller's global digit inside a subflow's collect", () => {
  test('is a warning on the subflow node: entries there cannot start with it', async () => {
    const [d, ...rest] = await found({ 'caller.yaml': caller('{ flow: check }'), 'check.yaml': child() });
    assert.deepEqual(rest, []);
    assert.match(d!, /^global-key-in-collect 5:5 node `pin`: global key `0` stays active inside subflow `check`, where collect `ask` of flow `check` accepts it as a first digit/);
  });

  test('is fine with global: false on the subflow node, or when the child has its own key', async () => {
    assert.deepEqual(await found({ 'caller.yaml': caller('{ flow: check, global: false }'), 'check.yaml': child() }), []);
    // The child's own "0" wins inside it: only the child's own warning about its own key remains.
    const own = await found({ 'caller.yaml': caller('{ flow: check }'), 'check.yaml': child('global: { "0": help }\n') });
    assert.deepEqual(own.map((f) => f.split(' ').slice(0, 2).join(' ')), ['global-key-in-collect 6:5']);
    assert.doesNotMatch(own[0]!, /stays active inside/);
  });

  test('a caller\'s `*` and a collect whose pattern takes `*` first: the same rule as the flow\'s own global keys', async () => {
    const star = (s: string): string => s.replace('"0": operator', '"*": operator');
    const patterned = child().replace('min: 4, max: 4', 'min: 4, max: 4, pattern: "^[*0-9]+$"');
    const inside = await found({ 'caller.yaml': star(caller('{ flow: check }')), 'check.yaml': patterned });
    assert.equal(inside.length, 1);
    assert.match(inside[0]!, /^global-key-in-collect 5:5 node `pin`: global key `\*` stays active inside subflow `check`/);
    // The same collect with its own `*`: reported by the flow's own check, as before.
    const own = await found({ 'caller.yaml': caller('{ flow: check, global: false }'), 'check.yaml': child('global: { "*": help }\n').replace('min: 4, max: 4', 'min: 4, max: 4, pattern: "^[*0-9]+$"') });
    assert.deepEqual(own.map((f) => f.split(' ').slice(0, 2).join(' ')), ['global-key-in-collect 6:5']);
    // Without a pattern a collect takes digits only: `*` is no conflict, here or inside.
    assert.deepEqual(await found({ 'caller.yaml': star(caller('{ flow: check }')), 'check.yaml': child() }), []);
  });
});
