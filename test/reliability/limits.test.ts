/**
 * The overload limits' arithmetic, on a hand-driven clock: Plivo's own traffic (50 media frames a
 * second plus a few others, a stalled backlog of seconds at once) always passes; a flood is cut
 * within the burst.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LIMIT_DEFAULTS, TokenBucket, sendBufferFull } from '../../src/plivo/limits.js';
import { SERVER_DEFAULTS, checkServerOptions } from '../../src/plivo/server-options.js';

describe('frame-rate token bucket', () => {
  test("Plivo's rate (50 media + 5 other frames a second) passes for an hour with the defaults", () => {
    let now = 0;
    const bucket = new TokenBucket(LIMIT_DEFAULTS.maxFrameRate, LIMIT_DEFAULTS.frameBurst, () => now);
    for (let second = 0; second < 3600; second++) {
      for (let i = 0; i < 55; i++) {
        now = second * 1000 + Math.floor((i * 1000) / 55);
        assert.ok(bucket.take(), `frame ${i} of second ${second}`);
      }
    }
  });

  test('a backlog of 10 s of media delivered at once after a network stall passes', () => {
    let now = 0;
    const bucket = new TokenBucket(LIMIT_DEFAULTS.maxFrameRate, LIMIT_DEFAULTS.frameBurst, () => now);
    for (let i = 0; i < 500; i++) assert.ok(bucket.take());
    now = 10_000;
    for (let i = 0; i < 550; i++) assert.ok(bucket.take(), `backlog frame ${i}`);
  });

  test('a flood is refused after exactly the burst when no time passes, then at the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(200, 1000, () => now);
    let admitted = 0;
    while (bucket.take()) admitted++;
    assert.equal(admitted, 1000);
    now += 1000; // one second later: 200 more
    admitted = 0;
    while (bucket.take()) admitted++;
    assert.equal(admitted, 200);
  });

  test('over any schedule, admitted frames never exceed burst + rate x elapsed time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 200 }), fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 400 }), (rate, burst, gaps) => {
        let now = 0;
        const bucket = new TokenBucket(rate, burst, () => now);
        let admitted = 0;
        for (const gap of gaps) {
          now += gap;
          if (bucket.take()) admitted++;
          assert.ok(admitted <= burst + (rate * now) / 1000 + 1e-9);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('a flood right after a quiet spell gets at most twice the burst at once (the clock is read only when empty)', () => {
    let now = 0;
    const bucket = new TokenBucket(200, 1000, () => now);
    for (let i = 0; i < 10; i++) assert.ok(bucket.take());
    now = 3_600_000; // an hour without a frame
    let admitted = 0;
    while (bucket.take()) admitted++;
    assert.ok(admitted >= 1000 && admitted <= 2000, `${admitted} frames at once`);
  });

  test('a clock that goes backwards neither refills nor throws', () => {
    let now = 1000;
    const bucket = new TokenBucket(10, 2, () => now);
    assert.ok(bucket.take());
    assert.ok(bucket.take());
    now = 0;
    assert.equal(bucket.take(), false);
  });
});

describe('send buffer and defaults', () => {
  test('the send buffer is full only past the limit', () => {
    assert.equal(sendBufferFull(1024 * 1024, 1024 * 1024), false);
    assert.equal(sendBufferFull(1024 * 1024 + 1, 1024 * 1024), true);
  });

  test('every limit has a default in the server options, and bad values are refused at start', () => {
    for (const [name, value] of Object.entries(LIMIT_DEFAULTS)) assert.equal(SERVER_DEFAULTS[name as keyof typeof SERVER_DEFAULTS], value);
    const flows = (): never => {
      throw new Error('unused');
    };
    assert.deepEqual(checkServerOptions({ flows, maxFrameRate: 0, maxCalls: 0 }), []);
    const problems = checkServerOptions({ flows, maxFrameRate: -1, frameBurst: 0, maxBufferedBytes: 10, maxCalls: 1.5 });
    assert.equal(problems.length, 4, problems.join('\n'));
  });
});
