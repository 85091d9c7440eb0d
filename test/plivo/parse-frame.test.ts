import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CALL_ID_MAX_LENGTH } from '../../src/flow/call-info.js';
import { REASON_MAX_LENGTH, parseFrame, parseFrameFully, type FrameContext } from '../../src/plivo/parse-frame.js';
import { EXTRA_HEADERS_MAX, parseExtraHeaders } from '../../src/plivo/extra-headers.js';
import { CHECKPOINT_NAME_MAX_LENGTH } from '../../src/call/outbound-frames.js';

const STARTED: FrameContext = { started: true, wantsMedia: false };
const RECORDING: FrameContext = { started: true, wantsMedia: true };
const FRESH: FrameContext = { started: false, wantsMedia: false };

const parse = (frame: unknown, ctx: FrameContext = STARTED): ReturnType<typeof parseFrame> =>
  parseFrame(Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)), false, ctx);

const START = {
  event: 'start', sequenceNumber: 1,
  start: {
    callId: '12345678-1234-1234-1234-123456789abc', streamId: '87654321-4321-4321-4321-cba987654321',
    accountId: 'MAXXXXXXXXXXXXXXXXXX', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 },
  },
  extra_headers: 'flow=support;lang=en',
};

describe('start frames', () => {
  test('the documented start frame gives the call, its format and its extra headers', () => {
    assert.deepEqual(parse(START, FRESH), {
      ok: true,
      frame: {
        event: 'start', sequenceNumber: 1, format: 'audio/x-mulaw;rate=8000', tracks: ['inbound'],
        call: {
          callId: '12345678-1234-1234-1234-123456789abc', streamId: '87654321-4321-4321-4321-cba987654321',
          accountId: 'MAXXXXXXXXXXXXXXXXXX', headers: { flow: 'support', lang: 'en' },
        },
      },
    });
  });

  test('each of the three codecs is recognised, the sample rate may be a string', () => {
    const formatOf = (mediaFormat: unknown): unknown => {
      const r = parse({ ...START, start: { ...START.start, mediaFormat } }, FRESH);
      return r.ok && r.frame.event === 'start' ? r.frame.format : r;
    };
    assert.equal(formatOf({ encoding: 'audio/x-mulaw', sampleRate: 8000 }), 'audio/x-mulaw;rate=8000');
    assert.equal(formatOf({ encoding: 'audio/x-l16', sampleRate: '8000' }), 'audio/x-l16;rate=8000');
    assert.equal(formatOf({ encoding: 'audio/x-l16', sampleRate: 16000 }), 'audio/x-l16;rate=16000');
    assert.equal(formatOf(undefined), 'audio/x-l16;rate=8000', "absent: Plivo's default");
  });

  test('an unsupported codec or a missing callId is a missing-field bad frame', () => {
    const r1 = parse({ ...START, start: { ...START.start, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 16000 } } }, FRESH);
    assert.equal(!r1.ok && r1.bad.kind, 'missing-field');
    assert.match(!r1.ok ? r1.bad.message : '', /mediaFormat/);
    const r2 = parse({ ...START, start: { ...START.start, callId: undefined } }, FRESH);
    assert.deepEqual(r2, { ok: false, bad: { kind: 'missing-field', message: 'start frame without `start.callId`' } });
  });

  test('liberal: extra headers inside start, from/to when present, tracks default to inbound', () => {
    const r = parse({ event: 'start', start: { callId: 'c', streamId: 's', extraHeaders: 'flow=main,lang=fr', from: '+15551234567', to: '+15557654321', mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: '8000' } } }, FRESH);
    assert.deepEqual(r, {
      ok: true,
      frame: {
        event: 'start', format: 'audio/x-mulaw;rate=8000', tracks: ['inbound'],
        call: { callId: 'c', streamId: 's', accountId: '', headers: { flow: 'main', lang: 'fr' }, from: '+15551234567', to: '+15557654321' },
      },
    });
  });

  test('a second start frame is refused', () => {
    assert.equal(parse(START, STARTED).ok, false);
    const r = parse(START, STARTED);
    assert.equal(!r.ok && r.bad.kind, 'second-start');
  });
});

describe('extra headers', () => {
  test('accept , and ; as separators, trim spaces, ignore pairs without a key', () => {
    assert.deepEqual(parseExtraHeaders('flow=support;lang=en'), { flow: 'support', lang: 'en' });
    assert.deepEqual(parseExtraHeaders('flow=support, lang=en'), { flow: 'support', lang: 'en' });
    assert.deepEqual(parseExtraHeaders('=x;a=1;b'), { a: '1' });
    assert.deepEqual(parseExtraHeaders(undefined), {});
    assert.deepEqual(parseExtraHeaders({ flow: 'main', n: 3, o: {} }), { flow: 'main', n: '3' });
  });

  test('accept JSON text and braced {k: v} text, as some transports deliver them', () => {
    const expected = { flow: 'support', lang: 'en', n: '3' };
    assert.deepEqual(parseExtraHeaders('{"flow":"support","lang":"en","n":3}'), expected);
    assert.deepEqual(parseExtraHeaders(' { "flow": "support", "lang": "en", "n": 3, "deep": { "x": 1 }, "on": true, "list": [1] } '), expected);
    assert.deepEqual(parseExtraHeaders('{flow: support, lang: en, n: 3}'), expected);
    assert.deepEqual(parseExtraHeaders('{flow=support, lang=en; n=3}'), expected);
    assert.deepEqual(parseExtraHeaders(`{'flow': 'support', "lang": "en", n: 3}`), expected);
    assert.deepEqual(parseExtraHeaders('{url: http://x.example/a}'), { url: 'http://x.example/a' }, 'the first : or = splits');
    assert.deepEqual(parseExtraHeaders('{"flow":"a;b"}'), { flow: 'a;b' }, 'JSON is read as JSON, separators inside values kept');
    assert.deepEqual(parseExtraHeaders('{}'), {});
    assert.deepEqual(parseExtraHeaders('{"__proto__":{"polluted":"yes"},"a":"1"}'), { a: '1' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('JSON and braced text are bounded like the rest: 32 pairs, keys and values cut, JSON text parsed only up to its length bound', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, `v${i}`]));
    const fromJson = parseExtraHeaders(JSON.stringify(many));
    assert.equal(Object.keys(fromJson).length, EXTRA_HEADERS_MAX.pairs);
    assert.equal(fromJson.k0, 'v0');
    assert.equal(Object.keys(parseExtraHeaders(`{${Object.entries(many).map(([k, v]) => `${k}: ${v}`).join(', ')}}`)).length, EXTRA_HEADERS_MAX.pairs);
    assert.equal(Object.keys(parseExtraHeaders(many)).length, EXTRA_HEADERS_MAX.pairs);
    const long = parseExtraHeaders(JSON.stringify({ ['k'.repeat(1000)]: 'v'.repeat(10_000) }));
    assert.deepEqual(Object.entries(long).map(([k, v]) => [k.length, v.length]), [[EXTRA_HEADERS_MAX.keyLength, EXTRA_HEADERS_MAX.valueLength]]);
    // Over the bound, JSON text is not handed to JSON.parse: it is read as braced pairs (bounded).
    const small = JSON.stringify({ a: 'x;y', pad: 'x'.repeat(100) });
    assert.deepEqual(parseExtraHeaders(small), { a: 'x;y', pad: 'x'.repeat(100) });
    const huge = JSON.stringify({ a: 'x;y', pad: 'x'.repeat(EXTRA_HEADERS_MAX.jsonLength) });
    assert.deepEqual(parseExtraHeaders(huge), { a: '"x', pad: 'x'.repeat(EXTRA_HEADERS_MAX.valueLength) });
  });

  test('a start frame carries JSON-text extra_headers into call.headers', () => {
    const r = parse({ ...START, extra_headers: '{"flow":"support","lang":"es"}' }, FRESH);
    assert.ok(r.ok && r.frame.event === 'start');
    assert.deepEqual(r.frame.call.headers, { flow: 'support', lang: 'es' });
  });
});

describe('call frames', () => {
  test('dtmf digits 0-9 * # A-D pass, lowercase a-d are read as A-D, anything else is bad-digit', () => {
    for (const digit of [...'0123456789*#ABCD']) assert.deepEqual(parse({ event: 'dtmf', dtmf: { digit } }), { ok: true, frame: { event: 'dtmf', digit } });
    assert.deepEqual(parse({ event: 'dtmf', dtmf: { digit: 'b' } }), { ok: true, frame: { event: 'dtmf', digit: 'B' } });
    assert.deepEqual(parse({ event: 'dtmf', dtmf: { digit: 7 } }), { ok: true, frame: { event: 'dtmf', digit: '7' } });
    for (const digit of ['E', '12', '', ' ', '\n']) {
      const r = parse({ event: 'dtmf', dtmf: { digit } });
      assert.equal(!r.ok && r.bad.kind, 'bad-digit', JSON.stringify(digit));
    }
    const r = parse({ event: 'dtmf', dtmf: {} });
    assert.equal(!r.ok && r.bad.kind, 'missing-field');
  });

  test('playedStream and its legacy name played both acknowledge a checkpoint', () => {
    assert.deepEqual(parse({ event: 'playedStream', sequenceNumber: '60', name: 'p7' }), { ok: true, frame: { event: 'playedStream', name: 'p7' } });
    assert.deepEqual(parse({ event: 'played', name: 'p7' }), { ok: true, frame: { event: 'playedStream', name: 'p7' } });
    const r = parse({ event: 'playedStream' });
    assert.equal(!r.ok && r.bad.kind, 'missing-field');
  });

  test('clearedAudio', () => {
    assert.deepEqual(parse({ event: 'clearedAudio', sequenceNumber: 0 }), { ok: true, frame: { event: 'clearedAudio' } });
  });

  test('frames of the call before the start frame are before-start', () => {
    for (const frame of [{ event: 'dtmf', dtmf: { digit: '1' } }, { event: 'playedStream', name: 'x' }, { event: 'clearedAudio' }, { event: 'media', media: { payload: '' } }]) {
      const r = parse(frame, FRESH);
      assert.equal(!r.ok && r.bad.kind, 'before-start', frame.event);
    }
  });
});

describe('garbage', () => {
  const kindOf = (data: string | Buffer, binary = false): string => {
    const r = parseFrame(Buffer.isBuffer(data) ? data : Buffer.from(data), binary, STARTED);
    return r.ok ? 'ok' : r.bad.kind;
  };
  test('each kind of bad frame, never a throw', () => {
    assert.equal(kindOf('{"event":'), 'invalid-json');
    assert.equal(kindOf('[1,2]'), 'invalid-json');
    assert.equal(kindOf('null'), 'invalid-json');
    assert.equal(kindOf(''), 'invalid-json');
    assert.equal(kindOf('{"event":"hello"}'), 'unknown-event');
    assert.equal(kindOf('{"no":"event"}'), 'missing-field');
    assert.equal(kindOf(Buffer.from([0, 1, 2]), true), 'binary');
  });

  test('arbitrary bytes and arbitrary JSON never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), fc.boolean(), (bytes, started, wantsMedia) => {
      parseFrame(Buffer.from(bytes), false, { started, wantsMedia });
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom('start', 'media', 'dtmf', 'playedStream', 'played', 'clearedAudio'), (value, event) => {
      const obj = { event, start: value, media: value, dtmf: value, name: value, extra_headers: value };
      parseFrame(Buffer.from(JSON.stringify(obj)), false, FRESH);
      parseFrame(Buffer.from(JSON.stringify(obj)), false, RECORDING);
    }), { numRuns: 2000 });
  });
});

describe('the media fast path', () => {
  const payload = Buffer.from(Array.from({ length: 160 }, (_, i) => (i * 37) & 0xff));
  const plivoMedia = `{"event":"media","sequenceNumber":42,"streamId":"s","media":{"track":"inbound","timestamp":"1705312200000","chunk":41,"payload":"${payload.toString('base64')}"},"extra_headers":"flow=main"}`;

  test('skips a media frame without decoding it when the call does not record', () => {
    const r = parse(plivoMedia, STARTED);
    assert.deepEqual(r, { ok: true, frame: { event: 'media' } });
    // The same shared result every time: no allocation per skipped frame.
    assert.equal(parse(plivoMedia, STARTED), r);
  });

  test('cuts out and decodes the payload when the call records', () => {
    const r = parse(plivoMedia, RECORDING);
    assert.ok(r.ok && r.frame.event === 'media');
    assert.deepEqual(r.frame.payload, payload);
  });

  // Every media frame Plivo could send, in any key order and spacing, with escaped slashes:
  // the fast path (parseFrame) and the full path (parseFrameFully) must agree on all of them.
  const mediaFrame = fc.record({
    seq: fc.oneof(fc.nat(), fc.nat().map(String)),
    chunk: fc.oneof(fc.nat(), fc.nat().map(String)),
    bytes: fc.uint8Array({ maxLength: 640 }),
    headers: fc.constantFrom('', 'flow=main', 'a=1;b=2'),
    order: fc.constantFrom('plivo', 'payload-first', 'event-last'),
    spaced: fc.boolean(),
    escapeSlashes: fc.boolean(),
  }).map(({ seq, chunk, bytes, headers, order, spaced, escapeSlashes }) => {
    const media = { track: 'inbound', timestamp: '1705312200000', chunk, payload: Buffer.from(bytes).toString('base64') };
    const frame: Record<string, unknown> =
      order === 'plivo' ? { event: 'media', sequenceNumber: seq, streamId: 's', media, extra_headers: headers }
        : order === 'payload-first' ? { event: 'media', media: { payload: media.payload, track: 'inbound' }, sequenceNumber: seq }
          : { sequenceNumber: seq, media, event: 'media' };
    let text = JSON.stringify(frame, null, spaced ? 1 : undefined);
    if (escapeSlashes) text = text.replace(/\//g, '\\/');
    return text;
  });

  test('agrees with the full parse on thousands of generated media frames', () => {
    fc.assert(fc.property(mediaFrame, fc.boolean(), fc.boolean(), (text, started, wantsMedia) => {
      const ctx = { started, wantsMedia };
      assert.deepEqual(parseFrame(Buffer.from(text), false, ctx), parseFrameFully(text, ctx));
    }), { numRuns: 5000 });
  });

  test('agrees with the full parse on generated frames of every other event', () => {
    const other = fc.oneof(
      fc.constantFrom(...'0123456789*#ABCDxE').map((digit) => ({ event: 'dtmf', sequenceNumber: 3, dtmf: { track: 'inbound', digit } })),
      fc.string({ maxLength: 12 }).map((name) => ({ event: 'playedStream', name })),
      fc.string({ maxLength: 12 }).map((name) => ({ event: 'played', name })),
      fc.constant({ event: 'clearedAudio' }),
      fc.constant(START),
    );
    fc.assert(fc.property(other, fc.boolean(), fc.boolean(), (frame, started, wantsMedia) => {
      const text = JSON.stringify(frame);
      const ctx = { started, wantsMedia };
      assert.deepEqual(parseFrame(Buffer.from(text), false, ctx), parseFrameFully(text, ctx));
    }), { numRuns: 2000 });
  });
});

describe('bounds on what a frame can make a call hold', () => {
  test('a playedStream name longer than any the engine sends is a bad-checkpoint frame; up to 40 characters it passes', () => {
    assert.deepEqual(parse({ event: 'playedStream', name: 'p9007199254740991.9007199254740991' }), { ok: true, frame: { event: 'playedStream', name: 'p9007199254740991.9007199254740991' } });
    const r = parse({ event: 'playedStream', name: 'n'.repeat(60_000) });
    assert.ok(!r.ok && r.bad.kind === 'bad-checkpoint', JSON.stringify(r).slice(0, 200));
    assert.ok(!r.ok && r.bad.message.length < 120, 'the message does not quote the name');
    const legacy = parse({ event: 'played', name: 'x'.repeat(CHECKPOINT_NAME_MAX_LENGTH + 1) });
    assert.ok(!legacy.ok && legacy.bad.kind === 'bad-checkpoint');
  });

  test('ids of a start frame are cut to 128 characters, extra headers to 32 pairs of 64/512 characters', () => {
    const headers = Array.from({ length: 100 }, (_, i) => `k${i}${'K'.repeat(100)}=${'v'.repeat(2000)}`).join(';');
    const r = parse({ ...START, start: { ...START.start, callId: 'c'.repeat(30_000), streamId: 's'.repeat(500), from: '1'.repeat(1000) }, extra_headers: headers }, FRESH);
    assert.ok(r.ok && r.frame.event === 'start');
    if (!r.ok || r.frame.event !== 'start') return;
    assert.equal(r.frame.call.callId, 'c'.repeat(CALL_ID_MAX_LENGTH));
    assert.equal(r.frame.call.streamId.length, CALL_ID_MAX_LENGTH);
    assert.equal(r.frame.call.from?.length, CALL_ID_MAX_LENGTH);
    const entries = Object.entries(r.frame.call.headers);
    assert.equal(entries.length, EXTRA_HEADERS_MAX.pairs);
    for (const [k, v] of entries) assert.ok(k.length <= EXTRA_HEADERS_MAX.keyLength && v.length <= EXTRA_HEADERS_MAX.valueLength);
  });
});

describe("Plivo's other events are frames, not bad frames", () => {
  test('stop, playFailed, error (reason at the top or inside, cut), muteStream, unmuteStream', () => {
    assert.deepEqual(parse({ event: 'stop', stop: { reason: 'callHangup' } }), { ok: true, frame: { event: 'stop', reason: 'callHangup' } });
    assert.deepEqual(parse({ event: 'stop' }, FRESH), { ok: true, frame: { event: 'stop', reason: '' } }, 'even before start');
    assert.deepEqual(parse({ event: 'playFailed', reason: 'decode', name: 'p1.1' }), { ok: true, frame: { event: 'playFailed', reason: 'decode', name: 'p1.1' } });
    assert.deepEqual(parse({ event: 'playFailed', name: 'n'.repeat(100) }), { ok: true, frame: { event: 'playFailed', reason: '' } }, 'a name that is none of ours is left out');
    const error = parse({ event: 'error', error: { reason: 'r'.repeat(10_000) } });
    assert.ok(error.ok && error.frame.event === 'error' && error.frame.reason.length === REASON_MAX_LENGTH);
    assert.deepEqual(parse({ event: 'muteStream', streamId: 's' }), { ok: true, frame: { event: 'muteStream' } });
    assert.deepEqual(parse({ event: 'unmuteStream', streamId: 's' }), { ok: true, frame: { event: 'unmuteStream' } });
  });
});
