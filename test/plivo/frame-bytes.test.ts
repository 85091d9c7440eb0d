import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FrameBytes } from '../../src/plivo/frame-bytes.js';

const frame = (c: string, n: number): string => `{"event":"playAudio","media":{"payload":"${c.repeat(n)}"}}`;

describe('FrameBytes: large outbound frames as shared bytes', () => {
  test('a short frame is sent as the string itself', () => {
    const bytes = new FrameBytes(1_000_000, 100);
    assert.equal(bytes.of('{"event":"clearAudio"}'), '{"event":"clearAudio"}');
    assert.equal(bytes.size, 0);
  });

  test('a large frame becomes its UTF-8 bytes, the same Buffer on every send', () => {
    const bytes = new FrameBytes(1_000_000, 100);
    const text = frame('A', 5000);
    const first = bytes.of(text);
    assert.ok(Buffer.isBuffer(first));
    assert.equal(first.toString('utf8'), text);
    assert.equal(bytes.of(text), first);
    assert.equal(bytes.size, Buffer.byteLength(text));
  });

  test('over the budget the least recently sent frame is dropped first', () => {
    const a = frame('A', 400);
    const b = frame('B', 400);
    const c = frame('C', 400);
    const bytes = new FrameBytes(Buffer.byteLength(a) * 2, 100);
    const bufA = bytes.of(a);
    const bufB = bytes.of(b);
    bytes.of(a); // a is now more recent than b
    bytes.of(c); // over budget: b goes
    assert.equal(bytes.size, Buffer.byteLength(a) * 2);
    assert.equal(bytes.of(a), bufA);
    assert.notEqual(bytes.of(b), bufB);
  });

  test('a frame larger than the whole budget is converted but not kept', () => {
    const bytes = new FrameBytes(1000, 100);
    const text = frame('Z', 2000);
    assert.equal((bytes.of(text) as Buffer).toString('utf8'), text);
    assert.equal(bytes.size, 0);
  });
});
