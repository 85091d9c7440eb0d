import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SUMMARY_LIST_LIMIT } from '../../src/call/call-session.js';
import { memoryRecordingSink } from '../../src/call/recording-sink.js';
import { scriptedCall } from './support/harness.js';

const welcome = { prompt: 'welcome', flow: 'script' };

describe('call lifecycle', () => {
  test('node commands set session.node and list the nodes in the summary (subflow nodes as flow/node, as the machine names them)', async () => {
    const { session } = scriptedCall({
      start: [{ type: 'node', node: 'greet', name: 'greet', flow: 'script', kind: 'play', sensitive: false }],
      'dtmf:1': [{ type: 'node', node: 'confirm/ask', name: 'ask', flow: 'confirm', kind: 'collect', sensitive: false }, { type: 'node', node: 'menu', name: 'menu', flow: 'script', kind: 'menu', sensitive: false }],
    });
    assert.equal(session.node, 'greet');
    session.dtmf('1');
    assert.equal(session.node, 'menu');
    session.hangup();
    assert.deepEqual((await session.done).nodes, ['greet', 'confirm/ask', 'menu']);
  });

  test('dtmf digits reach the machine; anything but 0-9*#A-D is ignored', () => {
    const { session, received, log } = scriptedCall({});
    for (const digit of ['5', '*', '#', 'A', 'x', '12', '']) session.dtmf(digit);
    assert.deepEqual(
      received().map((e) => (e.type === 'dtmf' ? e.digit : e.type)),
      ['5', '*', '#', 'A'],
    );
    assert.equal(log.lines.filter((l) => l.msg.startsWith('ignored a dtmf frame')).length, 3);
  });

  test('sendDtmf sends only 0-9*#A-D, and nothing at all when no digit is left', () => {
    const { transport, log } = scriptedCall({
      start: [
        { type: 'sendDtmf', digits: '*2100#', shown: '*2100#' },
        { type: 'sendDtmf', digits: '1"},{"event":"x', shown: '1"},{"event":"x' },
        { type: 'sendDtmf', digits: 'abc', shown: 'abc' },
      ],
    });
    assert.deepEqual(transport.frames, [
      { event: 'sendDTMF', dtmf: '*2100#' },
      { event: 'sendDTMF', dtmf: '1' },
    ]);
    assert.match(log.text(), /warn sendDtmf with no valid digit/);
  });

  test('end closes the stream with 1000 and the reason, stops every timer, and resolves done', async () => {
    const { session, transport, clock } = scriptedCall({
      start: [{ type: 'play', playbackId: 1, items: [welcome], bargeIn: true }],
      'dtmf:9': [{ type: 'end', reason: 'transferred' }],
    });
    assert.equal(clock.pending(), 1);
    clock.advance(250);
    session.dtmf('9');
    assert.deepEqual(transport.closed, { code: 1000, reason: 'transferred' });
    assert.equal(clock.pending(), 0);
    const summary = await session.done;
    assert.equal(summary.endReason, 'transferred');
    assert.equal(summary.endedAt - summary.startedAt, 250);
    assert.equal(summary.callId, '12345678-1234-1234-1234-123456789abc');
    assert.equal(summary.flowId, 'script');
    assert.equal(summary.version, 'v-test');
  });

  test('hangup stops the actor and cancels every timer; the stream is not closed again', async () => {
    const { session, transport, clock, received } = scriptedCall({
      start: [
        { type: 'play', playbackId: 1, items: [welcome], bargeIn: true },
        { type: 'fetch', requestId: 1, request: { method: 'GET', url: 'http://127.0.0.1:9/x', headers: {}, timeoutMs: 5000, retries: 0 }, shown: 'http://127.0.0.1:9/x' },
        { type: 'record.start', requestId: 2, maxDurationMs: 60_000, silenceTimeoutMs: 5000 },
      ],
    }, { recordings: memoryRecordingSink() });
    assert.ok(clock.pending() >= 3, 'playback fallback, fetch timeout, recording timers');
    const events = session.vars().received as unknown[];
    session.hangup();
    assert.equal(clock.pending(), 0);
    assert.equal(transport.closed, undefined);
    assert.deepEqual(events.at(-1), { type: 'hangup' }, 'the machine is told the caller hung up');
    assert.equal((await session.done).endReason, 'hangup');
    const before = received().length;
    clock.advance(120_000);
    assert.equal(received().length, before);
  });

  test('after the call is over every method is a no-op', async () => {
    const { session, transport, received } = scriptedCall({ start: [{ type: 'end', reason: 'completed' }] });
    const summary = await session.done;
    session.dtmf('1');
    session.played('p1.1');
    session.cleared();
    session.media(Buffer.alloc(160));
    session.hangup();
    session.stop('shutdown');
    assert.equal(transport.closes, 1);
    assert.deepEqual(received(), []);
    assert.equal(summary.endReason, 'completed');
    assert.equal(await session.done, summary);
  });

  test('stop(reason) ends the call from the server side with that reason', async () => {
    const { session, transport, clock } = scriptedCall({ start: [{ type: 'play', playbackId: 1, items: [welcome], bargeIn: true }] });
    session.stop('shutdown');
    assert.deepEqual(transport.closed, { code: 1000, reason: 'shutdown' });
    assert.equal(clock.pending(), 0);
    assert.equal((await session.done).endReason, 'shutdown');
  });

  test('a machine that reaches its final state without an end command completes the call', async () => {
    const { session, transport } = scriptedCall({});
    session.dtmf('D');
    assert.equal((await session.done).endReason, 'completed');
    assert.deepEqual(transport.closed, { code: 1000, reason: 'completed' });
  });

  test('end followed by the machine reaching its final state closes the stream once', async () => {
    const { session, transport } = scriptedCall({ 'dtmf:1': [{ type: 'end', reason: 'completed' }] });
    session.dtmf('1');
    session.dtmf('D');
    await session.done;
    assert.equal(transport.closes, 1);
  });

  test('an exception inside the machine ends that call with reason error, and the process goes on', async () => {
    const { session, transport, log, clock } = scriptedCall({
      start: [{ type: 'play', playbackId: 1, items: [welcome], bargeIn: true }],
      'dtmf:1': [{ type: 'throw' }],
    });
    session.dtmf('1');
    const summary = await session.done;
    assert.equal(summary.endReason, 'error');
    assert.deepEqual(transport.closed, { code: 1011, reason: 'error' });
    assert.equal(clock.pending(), 0);
    assert.match(log.text(), /error call failed .*boom: the machine failed/);
    // An unhandled error would surface on the next macrotask; give it the chance to.
    await new Promise((resolve) => setTimeout(resolve, 5));
  });

  test('a failing watcher or transport does not end the call', () => {
    const { session, received } = scriptedCall(
      { 'dtmf:1': [{ type: 'clear' }] },
      {
        watchers: [() => () => {
          throw new Error('watcher bug');
        }],
      },
    );
    session.dtmf('1');
    session.dtmf('2');
    assert.equal(received().length, 2);
  });

  test('inputs go to the summary and the log as the machine showed them (masked there: compile/sensitive.ts)', async () => {
    const { session, commands, log } = scriptedCall({
      start: [
        { type: 'input', node: 'account', value: '1234567', sensitive: false, outcome: 'match', edge: 'ok' },
        { type: 'input', node: 'verify-dob/ask', value: '***', sensitive: true, outcome: 'match', edge: 'ok' },
      ],
    });
    session.hangup();
    const summary = await session.done;
    assert.deepEqual(
      summary.inputs.map(({ node, value, sensitive, outcome }) => ({ node, value, sensitive, outcome })),
      [
        { node: 'account', value: '1234567', sensitive: false, outcome: 'match' },
        { node: 'verify-dob/ask', value: '***', sensitive: true, outcome: 'match' },
      ],
    );
    assert.match(log.text(), /input .*verify-dob\/ask.*\*\*\*/);
    assert.deepEqual(commands[1], { type: 'input', node: 'verify-dob/ask', value: '***', sensitive: true, outcome: 'match', edge: 'ok' });
  });

  test('log commands become log lines at their level', () => {
    const { log } = scriptedCall({ start: [{ type: 'log', level: 'warn', message: 'key ignored during a bargeIn:false prompt', node: 'notice' }] });
    assert.deepEqual(log.lines.find((l) => l.level === 'warn'), {
      level: 'warn',
      obj: { node: 'notice' },
      msg: 'key ignored during a bargeIn:false prompt',
    });
  });

  test('a watcher hears every command, every frame sent, the hang-up, and the summary when the call ends', async () => {
    const seen: string[] = [];
    let ended: string | undefined;
    const { session } = scriptedCall(
      { start: [{ type: 'node', node: 'greet', name: 'greet', flow: 'script', kind: 'play', sensitive: false }, { type: 'play', playbackId: 1, items: [welcome], bargeIn: true }] },
      {
        watchers: [(call) => (event) => {
          if (event.type === 'ended') ended = event.summary.endReason;
          else seen.push(`${event.type}@${call.start.call.callId.slice(0, 8)}`);
        }],
      },
    );
    session.hangup();
    await session.done;
    assert.deepEqual(seen, ['node@12345678', 'play@12345678', 'sent@12345678', 'sent@12345678', 'hangup@12345678']);
    assert.equal(ended, 'hangup');
  });

  test('done waits for a watcher\'s promise on `ended` (a record being written)', async () => {
    let recorded = false;
    const { session } = scriptedCall({}, {
      watchers: [() => (event) => (event.type === 'ended' ? new Promise<void>((r) => setImmediate(() => { recorded = true; r(); })) : undefined)],
    });
    session.hangup();
    await session.done;
    assert.equal(recorded, true, 'done resolved only after the watcher finished');
  });
});

describe('call summary', () => {
  test('stops growing after SUMMARY_LIST_LIMIT entries, however long the caller loops', async () => {
    const { session } = scriptedCall({ 'dtmf:1': [{ type: 'node', node: 'menu', name: 'menu', flow: 'script', kind: 'menu', sensitive: false }] });
    for (let i = 0; i < SUMMARY_LIST_LIMIT + 50; i++) session.dtmf('1');
    assert.equal(session.node, 'menu');
    session.hangup();
    assert.equal((await session.done).nodes.length, SUMMARY_LIST_LIMIT);
  });
});
