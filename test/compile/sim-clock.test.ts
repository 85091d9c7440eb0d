import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SimClock } from '../../src/testing/sim-clock.js';

describe('SimClock', () => {
  test('fires nothing before the due time and everything due at it', () => {
    const clock = new SimClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('a'), 100);
    clock.advance(99);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['a']);
    assert.equal(clock.now(), 100);
    assert.equal(clock.pending(), 0);
  });

  test('fires due timers in time order, ties in scheduling order', () => {
    const clock = new SimClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('late'), 30);
    clock.setTimeout(() => fired.push('first'), 10);
    clock.setTimeout(() => fired.push('second'), 10);
    clock.advance(50);
    assert.deepEqual(fired, ['first', 'second', 'late']);
  });

  test('fires timers scheduled by callbacks when they fall due within the same advance', () => {
    const clock = new SimClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 10);
      clock.setTimeout(() => fired.push(clock.now()), 1000);
    }, 10);
    clock.advance(100);
    assert.deepEqual(fired, [10, 20]);
    assert.equal(clock.pending(), 1);
    assert.equal(clock.nextDue(), 1010);
  });

  test('a cleared timer never fires', () => {
    const clock = new SimClock(0);
    let fired = false;
    const handle = clock.setTimeout(() => { fired = true; }, 5);
    clock.clearTimeout(handle);
    clock.advance(10);
    assert.equal(fired, false);
    assert.equal(clock.pending(), 0);
  });

  test('advance(0) fires zero-delay timers', () => {
    const clock = new SimClock(0);
    let fired = false;
    clock.setTimeout(() => { fired = true; }, 0);
    clock.advance(0);
    assert.equal(fired, true);
  });
});
