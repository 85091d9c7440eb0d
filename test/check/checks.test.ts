import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allDiagnostics, diagnostics, findings, loadSet } from './flow-dir.js';

describe('targets and structure', () => {
  test('a next naming a missing node suggests the closest node name', async () => {
    const [d] = await diagnostics('ivr: 1\nnodes:\n  greet:\n    play: hello\n    next: mian_menu\n  main_menu:\n    menu: { prompt: hello, options: { "1": greet } }\n');
    assert.equal(d?.code, 'unknown-target');
    assert.equal(d?.message, 'node `greet`: `next` goes to `mian_menu`, which is not a node of this flow — did you mean `main_menu`?');
    assert.deepEqual([d?.line, d?.col], [5, 11]);
  });

  test('handler then, branch goto, option goto and flow onFailure are all checked', async () => {
    const found = await findings(`ivr: 1
onFailure: nowhere
nodes:
  m:
    menu:
      prompt: hello
      options: { "1": { goto: gone } }
      noInput: { then: lost }
  b:
    branch: [{ goto: missing }]
`);
    assert.deepEqual(found, ['unknown-target 2:12', 'unknown-target 7:31', 'unknown-target 8:24', 'unreachable-node 9:3', 'unknown-target 10:22']);
  });

  test('a loop through a menu waits for the caller, so it is not a busy loop', async () => {
    const found = await findings(`ivr: 1
vars: { n: 0 }
nodes:
  s:
    set: { n: "n + 1" }
    next: b
  b:
    branch: [{ if: "n > 3", goto: bye }, { goto: m }]
  m:
    menu: { prompt: hello, options: { "1": s } }
  bye:
    end: {}
`);
    assert.deepEqual(found, []);
  });

  test('a busy loop names its nodes in order', async () => {
    const [d] = await diagnostics(`ivr: 1
vars: { n: 0 }
nodes:
  start:
    play: hello
    next: a
  a:
    set: { n: "n + 1" }
    next: b
  b:
    branch: [{ if: "n > 3", goto: a }, { goto: a }]
`);
    assert.equal(d?.code, 'busy-loop');
    assert.match(d!.message, /`a` → `b` → `a` is a loop that never waits for the caller/);
  });

  test('nodes reached only through a global key or onError are reachable', async () => {
    const found = await findings(`ivr: 1
global: { "0": operator }
onError: sorry
nodes:
  m:
    menu: { prompt: hello, options: { "1": m } }
  operator:
    transfer: { dtmf: "*2100#" }
  sorry:
    end: { reason: error }
`);
    assert.deepEqual(found, []);
  });
});

describe('keys', () => {
  test('a global digit in a collect is fine with global: false or a pattern that cannot start with it', async () => {
    const found = await findings(`ivr: 1
vars: { pin: "", acct: "" }
global: { "0": bye }
nodes:
  a:
    collect: { prompt: hello, into: pin, max: 4, global: false }
    next: b
  b:
    collect: { prompt: hello, into: acct, max: 6, pattern: "^[1-9][0-9]{5}$" }
    next: bye
  bye:
    end: {}
`);
    assert.deepEqual(found, []);
  });

  test('options of one length are not prefixes; a global star key is not a digit a collect takes', async () => {
    const found = await findings(`ivr: 1
vars: { pin: "" }
global: { "*": bye }
nodes:
  m:
    menu: { prompt: hello, options: { "11": c, "12": c } }
  c:
    collect: { prompt: hello, into: pin }
    next: bye
  bye:
    end: {}
`);
    assert.deepEqual(found, []);
  });
});

describe('expressions and scope', () => {
  test('input exists in option set and collect.valid, response in fetch.set, env everywhere', async () => {
    const found = await findings(`ivr: 1
vars: { a: "", n: 0 }
nodes:
  m:
    menu:
      prompt: hello
      options: { "1": { goto: c, set: { a: "input" } } }
      match: [{ pattern: "^2[0-9]{3}$", goto: c, set: { a: "input + env.SUFFIX" } }]
  c:
    collect: { prompt: hello, into: a, valid: "size(input) == 4" }
    next: f
  f:
    fetch: { url: "https://x/{{ a }}?k={{ env.KEY }}", set: { n: "int(response.status)" } }
    next: bye
    onError: bye
  bye:
    end: {}
`);
    assert.deepEqual(found, []);
  });

  test('response in a fetch url and input in a branch are out of scope, at the name', async () => {
    const found = await diagnostics(`ivr: 1
vars: { a: "" }
nodes:
  f:
    fetch: { url: "https://x/{{ response.body }}" }
    next: b
    onError: b
  b:
    branch: [{ if: "input == '1'", goto: bye }, { goto: bye }]
  bye:
    end: {}
`);
    assert.deepEqual(found.map((d) => `${d.code} ${d.line}:${d.col}`), ['name-out-of-scope 5:33', 'name-out-of-scope 9:21']);
    assert.match(found[1]!.message, /`input` is not available here/);
  });

  test('an undeclared variable in a template suggests the declared one', async () => {
    const [d] = await diagnostics('ivr: 1\nvars: { ext: "100" }\nnodes:\n  t:\n    transfer: { dtmf: "*2{{ etx }}#" }\n');
    assert.equal(d?.code, 'undeclared-variable');
    assert.match(d!.message, /`etx` is not a declared variable — did you mean `ext`\?/);
    assert.deepEqual([d?.line, d?.col], [5, 29]);
  });
});

describe('prompts', () => {
  test('a prompt resolves from prompts/<language>/ as well as prompts/', async () => {
    const found = await findings('ivr: 1\nsettings: { language: fr }\nnodes:\n  a:\n    play: [bonjour, hello]\n    next: b\n  b:\n    end: {}\n', {
      'prompts/fr/bonjour.wav': 'test/fixtures/broken/prompts/hello.wav',
    });
    assert.deepEqual(found, []);
  });

  test('digits in a language without system prompts are reported once', async () => {
    const found = await findings('ivr: 1\nsettings: { language: xx }\nvars: { n: 0 }\nnodes:\n  a:\n    play: [{ digits: "n" }, { number: "n" }]\n    next: b\n  b:\n    end: {}\n');
    assert.deepEqual(found, ['unknown-prompt 6:12']);
  });
});

describe('subflows', () => {
  const child = 'ivr: 1\nvars: { dob: "", ok: false }\nnodes:\n  ask:\n    play: hello\n    next: done\n  done:\n    return: {}\n';

  test('a subflow beside the caller is loaded with it, and its vars are checked', async () => {
    const set = await loadSet(
      {
        'caller.yaml': `ivr: 1
vars: { verified: false }
nodes:
  v:
    subflow: { flow: verify, input: { dob: "'1970'", nope: "1" }, output: { verified: "ok", x: "missing" } }
    next: bye
  bye:
    end: {}
`,
        'verify.yaml': child,
        'prompts/hello.wav': 'test/fixtures/broken/prompts/hello.wav',
      },
      ['caller.yaml'],
    );
    assert.deepEqual([...set.flows.keys()].sort(), ['caller', 'verify']);
    const found = allDiagnostics(set).map((d) => `${d.code} ${d.line}:${d.col}`);
    assert.deepEqual(found, ['undeclared-assignment 5:54', 'undeclared-assignment 5:93', 'undeclared-variable 5:97']);
  });

  test('two flows calling each other are both reported as recursive', async () => {
    const flow = (other: string): string => `ivr: 1\nnodes:\n  s:\n    subflow: { flow: ${other} }\n    next: r\n  r:\n    return: {}\n`;
    const set = await loadSet({ 'a.yaml': flow('b'), 'b.yaml': flow('a') }, ['.']);
    const found = allDiagnostics(set).map((d) => `${d.code} ${d.message}`);
    assert.equal(found.length, 2);
    assert.ok(found.every((f) => f.startsWith('recursive-subflow')));
    assert.ok(found.some((f) => f.includes('`a` → `b` → `a`')));
  });
});
