import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BadFrameLogLimiter } from '../../src/plivo/bad-frame-log.js';

describe('bad-frame log limiting', () => {
  test('logs the first N bad frames of a window, says once that it pauses, then stays quiet until the window ends', () => {
    let now = 0;
    const limiter = new BadFrameLogLimiter(3, 10_000, { now: () => now });
    const verdicts = Array.from({ length: 6 }, () => limiter.admit());
    assert.deepEqual(verdicts, ['log', 'log', 'log', 'first-suppressed', 'suppressed', 'suppressed']);
    now = 9_999;
    assert.equal(limiter.admit(), 'suppressed');
    now = 10_000;
    assert.equal(limiter.admit(), 'log', 'a new window');
  });

  test('a limit of 0 never logs a frame, only the pause notice', () => {
    const limiter = new BadFrameLogLimiter(0, 10_000, { now: () => 0 });
    assert.deepEqual([limiter.admit(), limiter.admit()], ['first-suppressed', 'suppressed']);
  });
});
