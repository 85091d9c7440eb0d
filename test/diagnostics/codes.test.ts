import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CODES } from '../../src/diagnostics/codes.js';
import { brokenFixtures } from '../check/broken-fixtures.js';

const README = readFileSync('flows/README.md', 'utf8');

function documentedSection(): string {
  const begin = README.indexOf('<!-- codes:begin -->');
  const end = README.indexOf('<!-- codes:end -->');
  assert.ok(begin >= 0 && end > begin, 'flows/README.md has the codes markers');
  return README.slice(begin, end);
}

describe('the diagnostic code registry', () => {
  test('every code is documented in flows/README.md between the codes markers, with its severity', () => {
    const section = documentedSection();
    for (const [code, { severity }] of Object.entries(CODES)) {
      const row = section.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      assert.ok(row, `${code} is not documented`);
      assert.ok(row.includes(`| ${severity} |`), `${code} is documented with another severity`);
    }
  });

  test('every documented code exists (no stale rows)', () => {
    const documented = [...documentedSection().matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);
    assert.deepEqual(documented.filter((c) => !Object.hasOwn(CODES, c)), []);
  });

  test('every code has a broken-flow fixture that expects it', () => {
    const expected = new Set(brokenFixtures().flatMap((f) => f.expected.map((e) => e.split(' ')[0]!)));
    assert.deepEqual(Object.keys(CODES).filter((c) => !expected.has(c)), []);
  });

  test('fixtures expect only registered codes', () => {
    for (const f of brokenFixtures()) for (const e of f.expected) assert.ok(Object.hasOwn(CODES, e.split(' ')[0]!), `${f.name}: ${e}`);
  });

  test('every summary is one line', () => {
    for (const [code, { summary }] of Object.entries(CODES)) assert.doesNotMatch(summary, /\n/, code);
  });
});
