/**
 * Generators of hostile Plivo traffic for the session fuzz test and the million-frame run: valid
 * and broken frames mixed, as a broken or malicious peer might send them, and the number of bad
 * frames the server must count for a sequence (replayed through the parser, tracking `start`).
 * Every frame stays under the default maxPayload and is valid UTF-8, so a fuzzing stream lives
 * until it hangs up.
 */
import fc from 'fast-check';
import { parseFrame } from '../../../src/plivo/parse-frame.js';

/** One WebSocket message a fuzzer sends. */
export interface Sent {
  data: string;
  binary: boolean;
}

export const text = (data: string): Sent => ({ data, binary: false });
export const START = (callId: string): string =>
  JSON.stringify({ event: 'start', sequenceNumber: 1, start: { callId, streamId: `s-${callId}`, accountId: 'MA', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } }, extra_headers: 'flow=sink' });

/** Hostile and valid frames, mixed: everything a broken or malicious peer might send. */
export const hostileFrame: fc.Arbitrary<Sent> = fc.oneof(
  fc.constantFrom(...'0123456789*#ABCD').map((digit) => text(JSON.stringify({ event: 'dtmf', dtmf: { digit } }))),
  fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)).map((digit) => text(JSON.stringify({ event: 'dtmf', dtmf: { digit } }))),
  // Acknowledgements for checkpoints never sent (the engine names them p<n>.<m>), and junk names.
  fc.tuple(fc.nat({ max: 30 }), fc.nat({ max: 30 })).map(([a, b]) => text(JSON.stringify({ event: 'playedStream', name: `p${a}.${b}` }))),
  fc.jsonValue().map((name) => text(JSON.stringify({ event: 'playedStream', name }))),
  fc.constant(text('{"event":"clearedAudio"}')), // nobody asked for a clear
  fc.uint8Array({ maxLength: 320 }).map((b) => text(`{"event":"media","sequenceNumber":3,"media":{"payload":"${Buffer.from(b).toString('base64')}"}}`)),
  fc.string({ maxLength: 80 }).map((junk) => text(`{"event":"media",${junk}`)), // fast-path prefix, broken after it
  fc.constant(text(START('second'))), // a second start (or a first one, late)
  fc.jsonValue().map((v) => text(JSON.stringify(v))),
  fc.string({ maxLength: 60 }).map(text),
  fc.string({ maxLength: 40 }).map((event) => text(JSON.stringify({ event }))),
  fc.uint8Array({ maxLength: 64 }).map((b) => ({ data: Buffer.from(b).toString('base64'), binary: true })),
  fc.constantFrom(10_000, 30_000).map((depth) => text('['.repeat(depth) + ']'.repeat(depth))), // deep nesting, under maxPayload
  fc.constant(text(JSON.stringify({ event: 'start', start: { callId: 'x' } }))), // start without a stream id
);

/** A fuzzer's whole conversation: whether it starts properly, then its frames. */
export const hostileSession = fc.record({
  startFirst: fc.boolean(),
  frames: fc.array(hostileFrame, { minLength: 1, maxLength: 120 }),
});

/** How many of `frames` the server must count as bad: the parser's verdicts, with start tracked as the connection does. */
export function expectedBad(frames: Sent[]): number {
  let started = false;
  let bad = 0;
  for (const f of frames) {
    const r = parseFrame(f.binary ? Buffer.from(f.data, 'base64') : Buffer.from(f.data), f.binary, { started, wantsMedia: false });
    if (!r.ok) bad++;
    else if (r.frame.event === 'start') started = true;
  }
  return bad;
}

