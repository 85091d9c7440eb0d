import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TEST_CODES } from '../../src/testing/test-codes.js';

describe('flow test diagnostic codes', () => {
  test('every code is documented in the Testing flows section of flows/README.md', () => {
    const readme = readFileSync('flows/README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Testing flows'), readme.indexOf('## Diagnostic codes'));
    for (const code of Object.keys(TEST_CODES)) assert.match(section, new RegExp(`^\\| \`${code}\` \\|`, 'm'), `${code} is not documented`);
  });
});
