/**
 * Diagnostic codes of flow test files (`ivr test`), kept apart from the flow registry
 * (src/diagnostics/codes.ts) because they are about test files, not flows: each is documented
 * in flows/README.md's "Testing flows" section, and test/testing/test-codes.test.ts checks that.
 */
export const TEST_CODES = {
  'test-file-unreadable': 'The test file does not exist or cannot be read.',
  'test-yaml-syntax': 'The test file is not valid YAML.',
  'test-schema': 'The test file does not follow schemas/flow-test.schema.json (unknown key, wrong type, bad step).',
  'test-start-at': 'A `start.at` names no real time (February 30, hour 25, an offset beyond ±14:00) or a year outside 1970–9999.',
  'test-unknown-flow': 'No flow with the id in `flow:` (or the file name) sits beside the test file.',
  'test-flow-has-errors': 'The flow under test has errors (see ivr validate), so its cases cannot run (or, with coverage, a flow whose coverage cannot be measured).',
  'test-case-failed': 'A case failed (`--format github`: at its failing step, with what was expected, what happened and the end of the transcript).',
  'test-coverage-below-minimum': 'A flow\'s coverage is below `--min-coverage` (`--format github`: at line 1 of the flow, with what no case reached).',
} as const;

export type TestCode = keyof typeof TEST_CODES;
