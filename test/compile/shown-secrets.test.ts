/**
 * What the machine's commands show of env values and of values computed from a sensitive
 * collect's digits (compile/sensitive.ts `shownRender`, `heldSecrets`): the `shown` forms of
 * transfer tones and fetch URLs, and error messages, which go to serve's log, call records,
 * `ivr call` and `ivr test`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createActor } from 'xstate';
import { compileFlow } from '../../src/compile/compile-flow.js';
import type { Command } from '../../src/compile/protocol.js';
import { flowSet, loadedFlow } from './harness.js';

/** The commands of a call of `yaml` given `env`, after typing `keys`. */
function commandsOf(yaml: string, keys: string, env: Record<string, string> = {}): Command[] {
  const flow = loadedFlow(yaml);
  const { machine } = compileFlow(flow, flowSet(flow));
  const actor = createActor(machine, { input: { call: { callId: 'c1', streamId: 's1', accountId: 'MA1', headers: {} }, env } });
  const commands: Command[] = [];
  actor.on('commands', (batch: { commands: Command[] }) => commands.push(...batch.commands));
  actor.start();
  for (const digit of keys) actor.send({ type: 'dtmf', digit, at: 0 });
  actor.stop();
  return commands;
}

describe('what commands show', () => {
  test('an env value in transfer tones or a fetch URL is shown as ***, with or without a secret held', () => {
    const yaml = (collect: string) => `
ivr: 1
id: bridge
vars: { pin: "" }
nodes:
${collect}
  lookup:
    fetch: { url: "https://api.example.com/v2/{{ env.API_KEY }}/rooms?n=12" }
    next: xfer
  xfer:
    transfer: { dtmf: "*{{ env.BRIDGE_CODE }}#" }
    next: done
  done: { end: {} }
`;
    const env = { BRIDGE_CODE: '987654', API_KEY: 'k3y-5ecret-77' };
    const held = yaml('  ask:\n    collect: { prompt: digit-1, into: pin, min: 4, max: 4, sensitive: true }\n    next: lookup');
    const none = yaml('  ask:\n    set: { pin: "\'0\'" }\n    next: lookup');
    for (const [commands, keys] of [[commandsOf(held, '4321', env), '4321'], [commandsOf(none, '', env), '']] as const) {
      const fetch = commands.find((c) => c.type === 'fetch');
      assert.ok(fetch && fetch.type === 'fetch', `a fetch (keys ${keys})`);
      assert.equal(fetch.shown, 'https://api.example.com/v2/***/rooms?n=12');
      assert.ok(fetch.request.url.includes(env.API_KEY), 'the request itself has the value');
    }
    // The fetch fails (no fetcher here): onError is the end; tones are asked of a flow without a fetch.
    const tones = commandsOf(`
ivr: 1
id: bridge
nodes:
  xfer:
    transfer: { dtmf: "*{{ env.BRIDGE_CODE }}#" }
    next: done
  done: { end: {} }
`, '', env).find((c) => c.type === 'sendDtmf');
    assert.ok(tones && tones.type === 'sendDtmf');
    assert.equal(tones.digits, '*987654#');
    assert.equal(tones.shown, '****#');
  });

  test('an error quoting a value computed from a sensitive collect shows it as ***', () => {
    const commands = commandsOf(`
ivr: 1
id: derived
vars: { pin: "", last2: "", x: 0 }
onError: bye
nodes:
  ask:
    collect: { prompt: digit-1, into: pin, min: 4, max: 4, sensitive: true }
    next: derive
  derive:
    set: { last2: "pin.substring(2, 4)" }
    next: look
  look:
    set: { x: "{'a': 1}[last2]" }
    next: bye
  bye: { end: {} }
`, '4321');
    const errors = commands.filter((c) => c.type === 'log' && c.level === 'error').map((c) => (c as { message: string }).message);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /\*\*\*/);
    assert.doesNotMatch(errors[0]!, /21/);
  });
});
