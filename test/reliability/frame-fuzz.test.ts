/**
 * Hostile frames against the parser alone: whatever bytes arrive, `parseFrame` returns a frame
 * or a bad frame of a known kind, never throws, never echoes an attacker's string at length into
 * the message that gets logged, and only lets through what the engine can use (digits from
 * `0-9*#A-D`, start frames with a call and stream id).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BAD_FRAME_KINDS } from '../../src/plivo/frames.js';
import { parseFrame, type FrameContext } from '../../src/plivo/parse-frame.js';

const CONTEXTS: FrameContext[] = [
  { started: false, wantsMedia: false },
  { started: true, wantsMedia: false },
  { started: true, wantsMedia: true },
];

const VALID: Record<string, object> = {
  start: {
    event: 'start', sequenceNumber: 1,
    start: { callId: 'c-1', streamId: 's-1', accountId: 'MA', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
    extra_headers: 'flow=main',
  },
  media: { event: 'media', sequenceNumber: 2, streamId: 's-1', media: { track: 'inbound', timestamp: '1', chunk: 1, payload: Buffer.alloc(160, 0xff).toString('base64') } },
  dtmf: { event: 'dtmf', sequenceNumber: 3, streamId: 's-1', dtmf: { track: 'inbound', digit: '5', timestamp: '1' } },
  playedStream: { event: 'playedStream', sequenceNumber: 4, streamId: 's-1', name: 'p1.1' },
  clearedAudio: { event: 'clearedAudio', sequenceNumber: 5, streamId: 's-1' },
};

/** The parser's contract, checked on every input: a result, never a throw; safe bad-frame messages. */
function checkContract(data: Buffer, isBinary: boolean, ctx: FrameContext): void {
  const r = parseFrame(data, isBinary, ctx);
  if (!r.ok) {
    assert.ok(BAD_FRAME_KINDS.includes(r.bad.kind), `known kind: ${r.bad.kind}`);
    // The message goes into a log line: bounded, one line, whatever the frame held.
    assert.ok(r.bad.message.length <= 200, `short message (${r.bad.message.length} chars)`);
    assert.ok(!/[\r\n]/.test(r.bad.message), 'no raw line breaks in the message');
    return;
  }
  const frame = r.frame;
  if (!ctx.started) assert.equal(frame.event, 'start', 'only a start frame is accepted before start');
  if (ctx.started) assert.notEqual(frame.event, 'start', 'a second start is never accepted');
  if (frame.event === 'dtmf') assert.match(frame.digit, /^[0-9*#A-D]$/);
  if (frame.event === 'start') {
    assert.ok(typeof frame.call.callId === 'string' && frame.call.callId !== '');
    assert.ok(typeof frame.call.streamId === 'string' && frame.call.streamId !== '');
    assert.equal(Object.getPrototypeOf(frame.call.headers), Object.getPrototypeOf({}), 'headers are a plain object');
  }
  if (frame.event === 'playedStream') assert.equal(typeof frame.name, 'string');
  if (frame.event === 'media' && frame.payload !== undefined) assert.ok(Buffer.isBuffer(frame.payload));
}

const everyContext = (data: Buffer, isBinary = false): void => {
  for (const ctx of CONTEXTS) checkContract(data, isBinary, ctx);
};

/** A valid frame with a few of its bytes flipped, cut, duplicated or spliced. */
const mutatedFrame = fc
  .record({
    base: fc.constantFrom(...Object.values(VALID)).map((f) => Buffer.from(JSON.stringify(f))),
    edits: fc.array(
      fc.record({
        op: fc.constantFrom('flip', 'cut', 'insert', 'duplicate', 'delete'),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
        len: fc.integer({ min: 1, max: 16 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ base, edits }) => {
    let buf = Buffer.from(base);
    for (const e of edits) {
      const at = buf.length === 0 ? 0 : e.at % buf.length;
      if (e.op === 'flip') buf[at] = e.byte;
      else if (e.op === 'cut') buf = buf.subarray(0, at);
      else if (e.op === 'insert') buf = Buffer.concat([buf.subarray(0, at), Buffer.from([e.byte]), buf.subarray(at)]);
      else if (e.op === 'duplicate') buf = Buffer.concat([buf.subarray(0, at + e.len), buf.subarray(at)]);
      else buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + e.len)]);
    }
    return buf;
  });

/** Any JSON value dropped into one field of a valid frame: wrong types and missing parts. */
const wrongTypedFrame = fc
  .record({
    name: fc.constantFrom(...Object.keys(VALID)),
    path: fc.constantFrom('event', 'start', 'start.callId', 'start.streamId', 'start.mediaFormat', 'start.mediaFormat.sampleRate', 'extra_headers', 'media', 'media.payload', 'dtmf', 'dtmf.digit', 'name', 'sequenceNumber'),
    value: fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string({ unit: 'binary', maxLength: 40 })),
  })
  .map(({ name, path, value }) => {
    const frame = structuredClone(VALID[name]) as Record<string, unknown>;
    const keys = path.split('.');
    let target: Record<string, unknown> = frame;
    for (const k of keys.slice(0, -1)) {
      if (typeof target[k] !== 'object' || target[k] === null) target[k] = {};
      target = target[k] as Record<string, unknown>;
    }
    target[keys.at(-1)!] = value;
    return Buffer.from(JSON.stringify(frame));
  });

describe('parseFrame under hostile input', () => {
  test('mutated valid frames (bytes flipped, cut, inserted, duplicated, deleted) never break the contract', () => {
    fc.assert(fc.property(mutatedFrame, (buf) => everyContext(buf)), { numRuns: 5000 });
  });

  test('every field of every frame given a value of the wrong type, or removed', () => {
    fc.assert(fc.property(wrongTypedFrame, (buf) => everyContext(buf)), { numRuns: 5000 });
  });

  test('random bytes, random text and invalid UTF-8, also behind the media fast-path prefix', () => {
    const prefix = Buffer.from('{"event":"media",');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), fc.boolean(), (bytes, behindPrefix, binary) => {
        const buf = behindPrefix ? Buffer.concat([prefix, Buffer.from(bytes)]) : Buffer.from(bytes);
        everyContext(buf, binary);
      }),
      { numRuns: 5000 },
    );
    // Lone surrogates, overlong encodings, a truncated multi-byte sequence, inside valid-looking frames.
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xff, 0xfe]]) {
      everyContext(Buffer.concat([Buffer.from('{"event":"dtmf","dtmf":{"digit":"'), Buffer.from(bad), Buffer.from('"}}')]));
      everyContext(Buffer.concat([Buffer.from('{"event":"'), Buffer.from(bad), Buffer.from('"}')]));
      everyContext(Buffer.concat([Buffer.from('{"event":"media","media":{"payload":"'), Buffer.from(bad), Buffer.from('"}}')]));
    }
  });

  test('100 000 nested arrays or objects are a bad frame (JSON.parse may overflow the stack), not a crash', () => {
    for (const [open, close] of [['[', ']'], ['{"a":', '}']] as const) {
      const depth = 100_000;
      everyContext(Buffer.from(open.repeat(depth) + close.repeat(depth)));
      everyContext(Buffer.from(`{"event":"dtmf","dtmf":${open.repeat(depth)}1${close.repeat(depth)}}`));
      everyContext(Buffer.from(`{"event":"media",${'"x":'.repeat(1)}${open.repeat(depth)}${close.repeat(depth)}}`));
    }
  });

  test('huge strings (4 MB) in every field: parsed or refused, and the message stays short', () => {
    const huge = 'x'.repeat(4 * 1024 * 1024);
    everyContext(Buffer.from(JSON.stringify({ event: huge })));
    everyContext(Buffer.from(JSON.stringify({ event: 'dtmf', dtmf: { digit: huge } })));
    everyContext(Buffer.from(JSON.stringify({ event: 'playedStream', name: huge })));
    everyContext(Buffer.from(JSON.stringify({ ...VALID.start, extra_headers: `flow=${huge}` })));
    everyContext(Buffer.from(JSON.stringify({ event: 'start', start: { callId: huge, streamId: 's', mediaFormat: { encoding: huge } } })));
    everyContext(Buffer.from(`{"event":"media","media":{"payload":"${'A'.repeat(4 * 1024 * 1024)}"}}`));
    everyContext(Buffer.from(huge));
  });

  test('unknown events, prototype keys and numeric digits out of range', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), (event) => {
        everyContext(Buffer.from(JSON.stringify({ event, name: 'x', dtmf: { digit: '1' } })));
      }),
      { numRuns: 2000 },
    );
    for (const text of [
      '{"event":"start","start":{"callId":"c","streamId":"s","__proto__":{"polluted":1}},"extra_headers":"__proto__=x;constructor=y"}',
      '{"__proto__":{"event":"dtmf"},"event":"dtmf","dtmf":{"digit":10}}',
      '{"event":"dtmf","dtmf":{"digit":-1}}',
      '{"event":"dtmf","dtmf":{"digit":1e400}}',
      '{"event":"dtmf","dtmf":{"digit":"\\u0000"}}',
      '{"event":"dtmf","dtmf":{"digit":"1\\n2"}}',
    ]) everyContext(Buffer.from(text));
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  });

  test('binary frames are always refused, whatever they hold', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(VALID)), (frame) => {
        for (const ctx of CONTEXTS) {
          const r = parseFrame(Buffer.from(JSON.stringify(frame)), true, ctx);
          assert.equal(r.ok ? 'ok' : r.bad.kind, 'binary');
        }
      }),
    );
  });
});
