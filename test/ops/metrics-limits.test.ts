import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetrics } from '../../src/ops/metrics.js';
import { ServerStats } from '../../src/plivo/server-stats.js';
import { parsePromText, sampleValue } from './support/prom-text.js';

test('overload limit hits are exported by limit: floods, slow readers, refused at max calls', async () => {
  const stats = new ServerStats();
  stats.limitHit('floods');
  stats.limitHit('floods');
  stats.limitHit('refusedBusy');
  const metrics = createMetrics({ stats: () => stats.snapshot() });
  const families = parsePromText((await metrics.scrape()).body);
  assert.equal(sampleValue(families, 'ivr_limit_hits_total', { limit: 'floods' }), 2);
  assert.equal(sampleValue(families, 'ivr_limit_hits_total', { limit: 'slowReaders' }), 0);
  assert.equal(sampleValue(families, 'ivr_limit_hits_total', { limit: 'refusedBusy' }), 1);
});
