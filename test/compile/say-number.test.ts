import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sayNumber, sayDigits } from '../../src/compile/say-number.js';

const says = (value: unknown) => sayNumber(value).join(' ');

describe('sayNumber', () => {
  test('says 42.5 as the contract example does', () => {
    assert.equal(says(42.5), 'number-40 digit-2 point digit-5');
  });
  test('says zero, units, teens and round tens', () => {
    assert.equal(says(0), 'digit-0');
    assert.equal(says(7), 'digit-7');
    assert.equal(says(10), 'number-10');
    assert.equal(says(19), 'number-19');
    assert.equal(says(90), 'number-90');
  });
  test('says hundreds with the rest', () => {
    assert.equal(says(123), 'digit-1 hundred number-20 digit-3');
    assert.equal(says(100), 'digit-1 hundred');
    assert.equal(says(515), 'digit-5 hundred number-15');
    assert.equal(says(905), 'digit-9 hundred digit-5');
  });
  test('says thousands and millions', () => {
    assert.equal(says(1000), 'digit-1 thousand');
    assert.equal(says(2024), 'digit-2 thousand number-20 digit-4');
    assert.equal(says(1_234_567), 'digit-1 million digit-2 hundred number-30 digit-4 thousand digit-5 hundred number-60 digit-7');
    assert.equal(says(3_000_010), 'digit-3 million number-10');
  });
  test('says minus before a negative number', () => {
    assert.equal(says(-5), 'minus digit-5');
    assert.equal(says(-0.25), 'minus digit-0 point digit-2 digit-5');
  });
  test('hides floating point noise', () => {
    assert.equal(says(0.1 + 0.2), 'digit-0 point digit-3');
  });
  test('accepts bigint and numeric strings (collected digits are strings)', () => {
    assert.equal(says(12n), 'number-12');
    assert.equal(says('40'), 'number-40');
  });
  test('refuses values that are not numbers', () => {
    assert.throws(() => sayNumber('abc'), /cannot say "abc" as a number/);
    assert.throws(() => sayNumber(Number.NaN), RangeError);
    assert.throws(() => sayNumber(1e16), RangeError);
    assert.throws(() => sayNumber(''), RangeError);
  });
});

describe('sayDigits', () => {
  test('reads each digit and reports the characters it skipped', () => {
    assert.deepEqual(sayDigits('12-3'), { names: ['digit-1', 'digit-2', 'digit-3'], skipped: '-' });
    assert.deepEqual(sayDigits(907), { names: ['digit-9', 'digit-0', 'digit-7'], skipped: '' });
  });
});

describe('sayNumber in Spanish', () => {
  const dice = (value: number) => sayNumber(value, 'es').join(' ');
  test('reads numbers by Spanish rules', () => {
    assert.equal(dice(0), 'digit-0');
    assert.equal(dice(16), 'number-16');
    assert.equal(dice(21), 'number-21');
    assert.equal(dice(31), 'number-30 and digit-1');
    assert.equal(dice(100), 'hundred');
    assert.equal(dice(101), 'hundreds-1 digit-1');
    assert.equal(dice(500), 'hundreds-5');
    assert.equal(dice(1000), 'thousand');
    assert.equal(dice(1001), 'thousand digit-1');
    assert.equal(dice(2021), 'digit-2 thousand number-21');
    assert.equal(dice(21_000), 'number-21-un thousand');
    assert.equal(dice(31_000), 'number-30 and un thousand');
    assert.equal(dice(1_000_000), 'un million');
    assert.equal(dice(2_500_000), 'digit-2 millions hundreds-5 thousand');
    assert.equal(dice(-3.5), 'minus digit-3 point digit-5');
  });
});
