/**
 * The hot path's shortcuts agree with the plain code they replace: the media prefix check with
 * `Buffer#compare`, the connection's handling of a media frame with the full parse (a media
 * frame reaches the session without a string conversion or JSON.parse, unless it needs one), and
 * the session's `mediaGate` field, through a recording.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import type { WebSocket } from 'ws';
import type { CallSession, CallSummary } from '../../src/call/call-session.js';
import { silentLog } from '../../src/call/call-log.js';
import { realClock } from '../../src/call/clock.js';
import type { CompiledFlow } from '../../src/compile/compiled-flow.js';
import type { PromptStore } from '../../src/audio/types.js';
import { memoryRecordingSink } from '../../src/call/recording-sink.js';
import { handleConnection } from '../../src/plivo/connection.js';
import { scriptedCall } from '../call/support/harness.js';
import { isMediaPrefixed } from '../../src/plivo/parse-frame.js';
import { resolveServerOptions } from '../../src/plivo/server-options.js';
import { ServerStats } from '../../src/plivo/server-stats.js';

const PREFIX = Buffer.from('{"event":"media",');

describe('isMediaPrefixed', () => {
  test('agrees with Buffer#compare on the prefix, its truncations, one-byte changes and random bytes', () => {
    const near = fc.tuple(fc.nat({ max: PREFIX.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }))
      .map(([at, byte, tail]) => {
        const b = Buffer.concat([PREFIX, Buffer.from(tail)]);
        b[at] = byte;
        return b;
      });
    const cut = fc.nat({ max: PREFIX.length }).map((n) => PREFIX.subarray(0, n));
    const anyBytes = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));
    const exact = fc.uint8Array({ maxLength: 40 }).map((tail) => Buffer.concat([PREFIX, Buffer.from(tail)]));
    fc.assert(fc.property(fc.oneof(near, cut, anyBytes, exact), (buf) => {
      const byCompare = buf.length >= PREFIX.length && buf.compare(PREFIX, 0, PREFIX.length, 0, PREFIX.length) === 0;
      assert.equal(isMediaPrefixed(buf), byCompare);
    }), { numRuns: 5000 });
  });
});

/** What handleConnection uses of a `ws` socket. */
class StandInSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  send(): void {}
  close(): void {
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
  pause(): void {}
}

function connect(wantsMedia: boolean): { ws: StandInSocket; stats: ServerStats; media: Buffer[] } {
  const media: Buffer[] = [];
  const flows = new Map([['main', { id: 'main', version: 'v1', flow: {}, machine: {} } as unknown as CompiledFlow]]);
  const options = resolveServerOptions({ flows: () => ({ flows, prompts: {} as PromptStore, loadedAt: 0 }), clock: realClock, log: silentLog });
  const stats = new ServerStats();
  const session = {
    callId: 'c', flowId: 'main', version: 'v1', mediaGate: { open: wantsMedia }, node: 'start',
    dtmf() {}, played() {}, cleared() {}, hangup() {}, stop() {}, vars: () => ({}),
    media: (b: Buffer) => media.push(b),
    done: new Promise<CallSummary>(() => {}),
  } satisfies CallSession;
  const ws = new StandInSocket();
  handleConnection(ws as unknown as WebSocket, { options, startCall: () => session, stats, log: silentLog, routeFlow: 'main' });
  ws.emit('message', Buffer.from(JSON.stringify({ event: 'start', start: { callId: 'c', streamId: 's', mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } } })), false);
  return { ws, stats, media };
}

describe('a media frame through the connection', () => {
  const payload = Buffer.from([1, 2, 3, 250, 251, 252]);
  const plivo = `{"event":"media","sequenceNumber":2,"streamId":"s","media":{"track":"inbound","timestamp":"1","chunk":1,"payload":"${payload.toString('base64')}"},"extra_headers":""}`;

  test('is counted and skipped unread when the call does not record: even a frame broken after the prefix is not parsed', () => {
    const { ws, stats } = connect(false);
    ws.emit('message', Buffer.from(plivo), false);
    ws.emit('message', Buffer.from('{"event":"media", this is never read'), false);
    assert.equal(stats.snapshot().framesIn.media, 2);
    assert.equal(stats.snapshot().badFrames['invalid-json'], 0);
  });

  test('takes the full parse when it does not start with the exact prefix, with the same outcome', () => {
    const { ws, stats } = connect(false);
    ws.emit('message', Buffer.from(plivo.replace('{"event":"media",', '{ "event": "media", ')), false);
    ws.emit('message', Buffer.from('{ "event": "media", this is broken'), false);
    assert.equal(stats.snapshot().framesIn.media, 1);
    assert.equal(stats.snapshot().badFrames['invalid-json'], 1);
  });

  test('hands the decoded payload to a recording call, by the fast path and by the full path alike', () => {
    const { ws, media } = connect(true);
    ws.emit('message', Buffer.from(plivo), false);
    ws.emit('message', Buffer.from(JSON.stringify(JSON.parse(plivo), null, 1)), false);
    assert.deepEqual(media, [payload, payload]);
  });
});

describe('mediaGate', () => {
  const recordStart = { type: 'record.start', requestId: 1, maxDurationMs: 60_000, silenceTimeoutMs: 5000 } as const;

  test('is open exactly while a recording captures: before, during and after a recording, and after the hang-up', () => {
    const { session, clock } = scriptedCall(
      { start: [], 'dtmf:1': [recordStart], 'dtmf:#': [{ type: 'record.stop', requestId: 1 }] },
      { recordings: memoryRecordingSink() },
    );
    const gate = session.mediaGate;
    assert.ok(gate, 'the live session has a gate');
    const agree = (when: string, expected: boolean): void => {
      assert.equal(gate.open, expected, `mediaGate ${when}`);
    };
    agree('before recording', false);
    session.dtmf('1');
    agree('while recording', true);
    session.media(Buffer.alloc(160, 0xff));
    session.dtmf('#');
    agree('after the terminator', false);
    session.dtmf('1');
    agree('recording again', true);
    clock.advance(6000); // the silence timeout ends the capture
    agree('after the silence timeout', false);
    session.dtmf('1');
    agree('recording a third time', true);
    session.hangup();
    agree('after the hang-up', false);
  });
});
