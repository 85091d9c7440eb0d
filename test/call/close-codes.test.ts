import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLOSE_REASON_MAX_BYTES, closeReason } from '../../src/call/close-codes.js';

describe('close reason', () => {
  test('a short reason is kept as it is', () => {
    assert.equal(closeReason('max-call-duration'), 'max-call-duration');
  });

  test('a long reason is cut to 123 bytes of UTF-8, never inside a character', () => {
    const ascii = closeReason('x'.repeat(500));
    assert.equal(Buffer.byteLength(ascii), CLOSE_REASON_MAX_BYTES);
    const wide = closeReason('é'.repeat(100) + '😀'.repeat(50));
    assert.ok(Buffer.byteLength(wide) <= CLOSE_REASON_MAX_BYTES);
    assert.ok(!wide.includes('\uFFFD'));
    assert.equal(wide, 'é'.repeat(61));
    const emoji = closeReason('a' + '😀'.repeat(40));
    assert.equal(emoji, 'a' + '😀'.repeat(30));
  });
});
