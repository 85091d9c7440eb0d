import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { decideMenu, menuRules } from '../../src/compile/menu-rules.js';
import { decideCollect } from '../../src/compile/collect-rules.js';

describe('menu rules', () => {
  test('# is the terminator unless it is part of an option', () => {
    assert.equal(menuRules(['11', '12'], [], []).terminator, '#');
    assert.equal(menuRules(['1#', '12'], [], []).terminator, '');
    assert.equal(menuRules(['11', '12'], [], [], undefined, '*').terminator, '*');
  });

  test('maxDigits defaults to the longest key, and is unbounded with a match list', () => {
    assert.equal(menuRules(['1', '123'], ['0'], []).maxDigits, 3);
    assert.equal(menuRules(['1'], [], [/^2\d{3}$/]).maxDigits, Number.POSITIVE_INFINITY);
    assert.equal(menuRules(['1'], [], [/^2\d{3}$/], 4).maxDigits, 4);
  });

  test('single-character keys without a match list: the first key decides', () => {
    const rules = menuRules(['1', '2'], ['0'], []);
    assert.equal(decideMenu(rules, '2', false), 'option:2');
    assert.equal(decideMenu(rules, '0', false), 'global:0');
    assert.equal(decideMenu(rules, '5', false), 'noMatch');
  });

  test('a match list keeps collecting until terminator or timeout', () => {
    const rules = menuRules(['1'], [], [/^2\d{3}$/]);
    assert.equal(decideMenu(rules, '1', false), null);
    assert.equal(decideMenu(rules, '1', true), 'option:1');
    assert.equal(decideMenu(rules, '2001#', false), 'match:0');
    assert.equal(decideMenu(rules, '#', false), 'noMatch');
  });
});

describe('collect rules', () => {
  const rules = { min: 2, max: 4, terminator: '#', pattern: null, globals: ['0'] };
  test('collects until max or terminator', () => {
    assert.equal(decideCollect(rules, '12', false), null);
    assert.equal(decideCollect(rules, '1234', false), 'ok');
    assert.equal(decideCollect(rules, '12#', false), 'ok');
    assert.equal(decideCollect(rules, '1#', false), 'noMatch');
    assert.equal(decideCollect(rules, '12', true), 'ok');
  });
  test('a global key counts only as the first key', () => {
    assert.equal(decideCollect(rules, '0', false), 'global:0');
    assert.equal(decideCollect(rules, '10', false), null);
  });
  test('a pattern must hold on the digits without the terminator', () => {
    const withPattern = { ...rules, pattern: /^9/ };
    assert.equal(decideCollect(withPattern, '123#', false), 'noMatch');
    assert.equal(decideCollect(withPattern, '923#', false), 'ok');
  });
});
