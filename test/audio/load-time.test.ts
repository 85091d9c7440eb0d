import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPromptStore } from '../../src/audio/prompt-store.js';
import { MEDIA_FORMATS } from '../../src/audio/types.js';
import { realisticPromptFlows } from './wav-fixtures.js';

// How long this takes is measured by test/bench/prompt-load (a benchmark's job, not a test's).
test('loads a realistic prompt set in all three formats', async () => {
  const { store, diagnostics } = await loadPromptStore(realisticPromptFlows());
  assert.deepEqual(diagnostics, []);
  for (const format of MEDIA_FORMATS) assert.equal(store.get('flow2', 'p9', format)?.durationMs, 2500);
});
