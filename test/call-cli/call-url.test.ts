/**
 * `ivr call --url` against a real server on 127.0.0.1 (the shipped flows, served in-process), and
 * `ivr call <flow>` with keys piped in (line mode). The CLI runs as a child process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, type Serving } from '../support/e2e-harness.js';
import { callIvr, runIvr } from './support.js';

describe('ivr call --url: a Plivo-like call to a running server', () => {
  let s: Serving;
  const ended: string[] = [];
  before(async () => {
    s = await serve(['flows'], { watchers: [() => (event) => void (event.type === 'ended' && ended.push(event.summary.endReason))] });
  });
  after(() => s.close());

  test('with --flows, names the prompts it hears; a key is sent as a dtmf frame; q hangs up', async () => {
    const call = callIvr(['call', '--url', `ws://127.0.0.1:${s.port}/stream/support`, '--flows', 'flows']);
    await call.waitFor(/> welcome "Thanks for calling Acme\." \(1\.\d s\)/);
    // The welcome checkpoint is acknowledged only after its audio played: then the menu is sent.
    await call.waitFor(/> main_menu "For billing, press 1/);
    call.proc.stdin.write('2\n');
    await call.waitFor(/key 2\n.*audio cleared\n.*> support_hours/);
    call.proc.stdin.write('q\n');
    await call.waitFor(/call ended: hangup/);
    assert.equal(await call.exited, 0);
    assert.ok(ended.includes('hangup'), `the server saw the caller hang up (${ended.join(', ')})`);
  });

  test('without --flows, audio is shown with no name nor length; the flow ending closes the call with its reason', async () => {
    const call = callIvr(['call', '--fast', '--url', `ws://127.0.0.1:${s.port}/stream/support`]);
    // Lengths would tell the digits of a value read back (this end cannot tell a secret).
    await call.waitFor(/> playing audio\n/);
    // Main menu option 2 plays the support hours, then the call ends on its own (`done`).
    call.proc.stdin.write('2');
    await call.waitFor(/call ended: completed/, 15_000);
    assert.equal(await call.exited, 0);
    assert.doesNotMatch(call.output(), /welcome/);
    assert.doesNotMatch(call.output(), /playing \d/);
  });

  test('a refused stream is reported, exit 1', async () => {
    const call = callIvr(['call', '--url', `ws://127.0.0.1:${s.port}/nowhere`]);
    assert.equal(await call.exited, 1);
    assert.match(call.output(), /ivr call: /);
  });
});

describe('ivr call <flow> with keys piped in', () => {
  test('--fast: prompts finish at once; keys typed as text drive the menu', async () => {
    const call = callIvr(['call', 'flows/support.yaml', '--fast']);
    await call.waitFor(/> main_menu "For billing/);
    call.proc.stdin.write('2\n');
    await call.waitFor(/-- support\n/);
    await call.waitFor(/call ended: \w+/, 15_000);
    assert.equal(await call.exited, 0);
    const lines = call.output().split('\n').map((l) => l.replace(/^\[ *\d+\.\d+s\] /, ''));
    const nodes = lines.filter((l) => l.startsWith('-- '));
    assert.deepEqual(nodes.slice(0, 4), ['-- greet', '-- main_menu', '-- support', '-- check_hours']);
    // Office hours decide the rest (the real clock): the operator transfer sends its tones, or the line is closed.
    if (nodes[4] === '-- operator') assert.ok(lines.some((l) => /^sendDTMF \*2\d+#$/.test(l)), call.output());
    else assert.equal(nodes[4], '-- closed');
  });

  test('--call-id picks the split bucket, so a chosen id reaches its branch', async () => {
    for (const [id, node] of [['call-3', 'new_greeting'], ['call-11', 'old_greeting']] as const) {
      const call = callIvr(['call', 'test/testing/fixtures/v11/split.yaml', '--fast', '--call-id', id]);
      await call.waitFor(/call ended: \w+/, 15_000);
      assert.equal(await call.exited, 0);
      assert.match(call.output(), new RegExp(`-- try_new\n.*-- ${node}\n`), call.output());
    }
    const bad = callIvr(['call', 'test/testing/fixtures/v11/split.yaml', '--call-id', 'has space']);
    assert.equal(await bad.exited, 2);
  });

  test('Ctrl-C outside raw mode (SIGINT) hangs up cleanly', async () => {
    const call = runIvr(['call', 'flows/support.yaml', '--fast']);
    await call.waitFor(/> main_menu "For billing/);
    call.proc.kill('SIGINT');
    await call.waitFor(/call ended: hangup/);
    assert.equal(await call.exited, 0);
  });

  test('a folder needs --flow when it has no main flow to pick; an unknown id is a usage error', async () => {
    const call = callIvr(['call', 'flows', '--flow', 'nope']);
    assert.equal(await call.exited, 2);
    assert.match(call.output(), /no flow `nope` in flows/);
  });
});
