/**
 * Plivo's other events (plivo-protocol.md, "More facts"), on a real server: `stop` ends the call
 * as the caller leaving, `playFailed` finishes the pending prompt at once, `error` is logged,
 * `muteStream`/`unmuteStream` are counted; none of them is a bad frame.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { E2E_FLOW, E2E_PROMPTS } from '../e2e/fixture-flows.js';
import { eventually, serve, writeFixture, type Fixture, type Serving } from '../support/e2e-harness.js';
import type { ServerLog } from '../../src/plivo/server-options.js';

interface Line {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

function captureLog(lines: Line[]): ServerLog {
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const log: ServerLog = { info: at('info'), warn: at('warn'), error: at('error'), child: () => log };
  return log;
}

describe("Plivo's other events", () => {
  let fixture: Fixture;
  let s: Serving;
  const lines: Line[] = [];

  before(async () => {
    fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW }, E2E_PROMPTS);
    // A long grace: without playFailed, the greeting would wait 5 s for its fallback.
    s = await serve([fixture.dir], { playbackGraceMs: 5000, log: captureLog(lines) });
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  const badFrames = (): number => Object.values(s.server.stats().badFrames).reduce((a, b) => a + b, 0);

  test('stop ends the call as a hang-up and closes the stream normally', async () => {
    const c = await s.call('e2e');
    await c.nextPrompt();
    const ended = s.server.stats().calls.endedBy.hangup ?? 0;
    c.send({ event: 'stop', sequenceNumber: 9, streamId: c.streamId, stop: { reason: 'callHangup' } });
    assert.deepEqual(await c.closed, { code: 1000, reason: 'stopped' });
    await eventually(() => (s.server.stats().calls.endedBy.hangup ?? 0) === ended + 1, 'the call ended as hangup');
    assert.ok(lines.some((l) => l.msg.startsWith('stop frame') && l.obj.reason === 'callHangup'));
  });

  test('playFailed finishes the pending prompt at once (no 5 s fallback), with a warning', async () => {
    const c = await s.call('e2e');
    assert.deepEqual(await c.nextPrompt(), ['welcome']);
    const sentAt = Date.now();
    c.send({ event: 'playFailed', sequenceNumber: 5, streamId: c.streamId, reason: 'audio decode failed' });
    assert.deepEqual(await c.nextPrompt(2000), ['main_menu'], 'the menu follows the failed greeting');
    assert.ok(Date.now() - sentAt < 2000);
    assert.ok(lines.some((l) => l.level === 'warn' && l.obj.reason === 'audio decode failed'));
    c.hangup();
    await c.closed;
  });

  test('error, muteStream and unmuteStream are logged or counted; the call goes on; no bad frame', async () => {
    const bad = badFrames();
    const before = s.server.stats().framesIn;
    const c = await s.call('e2e');
    await c.nextPrompt();
    c.send({ event: 'error', streamId: c.streamId, error: { reason: 'media server hiccup\n{"forged":1}' } });
    c.send({ event: 'muteStream', streamId: c.streamId });
    c.send({ event: 'unmuteStream', streamId: c.streamId });
    c.ackAll();
    assert.deepEqual(await c.nextPrompt(), ['main_menu'], 'the call goes on');
    c.hangup();
    await c.closed;
    const after = s.server.stats().framesIn;
    assert.equal(after.error - before.error, 1);
    assert.equal(after.muteStream - before.muteStream, 1);
    assert.equal(after.unmuteStream - before.unmuteStream, 1);
    assert.equal(badFrames(), bad, 'none counted as a bad frame');
    assert.ok(lines.some((l) => l.msg === 'Plivo reported a stream error' && l.obj.reason === 'media server hiccup\n{"forged":1}'));
  });

  test('a stop before the start frame closes the stream without a call', async () => {
    const c = await s.call('e2e', { start: false });
    c.send({ event: 'stop', reason: 'timeout' });
    assert.deepEqual(await c.closed, { code: 1000, reason: 'stopped' });
  });
});
