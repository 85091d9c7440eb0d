/**
 * `ivr call` never shows a sensitive collect's value: not the keys, the read-back (say, digits,
 * number), the fetch URL nor the transfer tones. Local calls show a play as `ivr test` does
 * (call/shown-play.ts); `--url` calls, which cannot tell a secret on the wire, show every
 * spoken value as `#` and transfer tones as `***`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, type Serving } from '../support/e2e-harness.js';
import { callIvr } from './support.js';

const DIR = 'test/call-cli/fixtures/sensitive';
const PIN = '4821';

/** The lines without their time stamps. */
const linesOf = (output: string): string[] => output.split('\n').map((l) => l.replace(/^\[ *\d+\.\d+s\] /, ''));

function assertNoPin(output: string): void {
  assert.ok(!output.includes(PIN), `the PIN is shown:\n${output}`);
  assert.doesNotMatch(output, /digit-|number-|\b(four|eight|two|one)\b/i, `a digit prompt is named:\n${output}`);
}

describe('ivr call and a sensitive collect', () => {
  test('a local call shows the keys as *, the read-back as masked say and #, the fetch and tones masked', async () => {
    const call = callIvr(['call', `${DIR}/extension.yaml`, '--fast']);
    await call.waitFor(/> welcome/);
    call.proc.stdin.write(PIN);
    await call.waitFor(/call ended: \w+/, 15_000);
    assert.equal(await call.exited, 0);
    const output = call.output();
    assertNoPin(output);
    const lines = linesOf(output);
    assert.deepEqual(lines.filter((l) => l.startsWith('key ')), ['key *', 'key *', 'key *', 'key *']);
    assert.ok(lines.includes('fetch GET http://127.0.0.1:9/extensions/***'), output);
    const readback = lines.slice(lines.indexOf('-- readback') + 1, lines.indexOf('-- dial'));
    assert.deepEqual(readback.filter((l) => l.startsWith('> ') && !l.startsWith('> playing')), ['> say "Calling ***."', '> #', '> silence (0.2 s)', '> #']);
    assert.ok(lines.includes('sendDTMF *2***#'), output);
  });

  describe('--url, against a running server', () => {
    let s: Serving;
    before(async () => {
      s = await serve([DIR]);
    });
    after(() => s.close());

    test('with --flows, a spoken value is one # per run and the tones are masked whole', async () => {
      const call = callIvr(['call', '--fast', '--url', `ws://127.0.0.1:${s.port}/stream/extension`, '--flows', DIR]);
      await call.waitFor(/> welcome "Enter the extension\."/);
      call.proc.stdin.write(PIN);
      await call.waitFor(/call ended: \w+/, 15_000);
      // What the server sent back; the `key` lines echo what this terminal typed (this end cannot tell a sensitive collect).
      const lines = linesOf(call.output()).filter((l) => !l.startsWith('key '));
      const output = lines.join('\n');
      assertNoPin(output);
      assert.deepEqual(lines.filter((l) => l === '> #'), ['> #', '> #'], output);
      assert.ok(lines.includes('sendDTMF ***'), output);
    });
  });
});
