import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPromptStore } from '../../src/audio/prompt-store.js';
import { MEDIA_FORMATS } from '../../src/audio/types.js';
import { loadedFlow, tempDir, tone, writeWav } from './wav-fixtures.js';

// Its own file (its own process under node --test), so no earlier load has warmed the cache.
test('loads a realistic prompt set in all three formats in well under a second', async () => {
  // Four flows of ten distinct 2.5-second prompts each (100 s of audio) at the rates authors
  // tend to ship (8, 16 and 22.05 kHz), plus the whole system set.
  const flows = [];
  const rates = [8000, 16000, 8000, 16000];
  for (const [f, rate] of rates.entries()) {
    const dir = tempDir();
    const nodes: Record<string, { play: (string | { digits: string })[] }> = {};
    for (let p = 0; p < 10; p++) {
      writeWav(join(dir, 'prompts', `p${p}.wav`), { rate, bitDepth: '16', samples: tone(rate, 2500, 300 + 50 * p + 7 * f) });
      nodes[`n${p}`] = { play: [`p${p}`, { digits: 'x' }] };
    }
    flows.push(loadedFlow(dir, `flow${f}`, { nodes }));
  }
  // CPU time rather than wall time: the work is all on this thread, and other processes on a
  // shared CI machine then do not make the test fail.
  const started = process.cpuUsage();
  const { store, diagnostics } = await loadPromptStore(flows);
  const used = process.cpuUsage(started);
  const elapsed = (used.user + used.system) / 1000;
  assert.deepEqual(diagnostics, []);
  for (const format of MEDIA_FORMATS) assert.equal(store.get('flow2', 'p9', format)?.durationMs, 2500);
  assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
});
