import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { validatePaths } from '../../src/cli/validate.js';
import { brokenFixtures } from './broken-fixtures.js';
import type { Fixture } from './broken-fixtures.js';

/** What `ivr validate` reports for the fixture's file (the front end's findings, then the flow's size). */
async function diagnosticsOf(fixture: Fixture): Promise<Diagnostic[]> {
  const report = await validatePaths([...fixture.withFiles, fixture.file]);
  return report.diagnostics.filter((d) => d.file === fixture.file);
}

describe('broken flows give exactly their expected diagnostics', () => {
  for (const fixture of brokenFixtures()) {
    test(fixture.name, async () => {
      assert.ok(fixture.expected.length > 0, `${fixture.name} has no "# expect:" line`);
      const found = await diagnosticsOf(fixture);
      assert.deepEqual(found.map((d) => `${d.code} ${d.line}:${d.col}`), fixture.expected, found.map((d) => d.message).join('\n'));
      for (const d of found) {
        // Messages are for flow authors: no raw ajv or parser wording, never empty.
        assert.match(d.message, /\S{3,}/);
        assert.doesNotMatch(d.message, /must NOT|should match|instancePath|\bRPAREN\b/);
      }
    });
  }
});
