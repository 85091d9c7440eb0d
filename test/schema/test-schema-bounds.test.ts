/**
 * The test-file schema (JSON, for editors and ajv) states the call id's bound as a number; the
 * engine's one home for it is CALL_ID_MAX_LENGTH. This keeps the two from drifting apart: a test
 * file's `start.callId` is accepted up to exactly the length a live call's id is cut to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_ID_MAX_LENGTH } from '../../src/flow/call-info.js';
import { validateTestDoc } from '../../src/testing/test-schema.js';

function withCallId(callId: string): unknown {
  return { flow: 'main', cases: [{ name: 'c', start: { callId }, steps: [{ expect: { node: 'x' } }] }] };
}

test("a test file's start.callId is bounded by CALL_ID_MAX_LENGTH, the bound live calls use", () => {
  assert.deepEqual(validateTestDoc(withCallId('c'.repeat(CALL_ID_MAX_LENGTH))), []);
  const over = validateTestDoc(withCallId('c'.repeat(CALL_ID_MAX_LENGTH + 1)));
  assert.equal(over.length, 1);
  assert.match(over[0]!.pointer, /callId/);
});
