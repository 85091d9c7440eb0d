/**
 * `ivr replay` and `split`: the bucket comes from the recorded callId, so a replay takes the same
 * branch, and a changed percentage makes the calls it moves diverge at the node.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallRecord } from '../../src/ops/call-records.js';
import { replayCall } from '../../src/replay/replay-call.js';
import { replayRecords } from '../../src/replay/replay-records.js';
import { prepareFlows } from '../../src/pipeline/prepare-flows.js';
import { tempDir } from '../support/temp-dir.js';

const FIXTURE = 'test/testing/fixtures/v11';

/** A call to the split fixture with this id, recorded by the same code `ivr serve` records with. */
async function recorded(callId: string): Promise<CallRecord> {
  const prepared = (await prepareFlows([FIXTURE])).value;
  const start: CallRecord = {
    callId, streamId: 's', flow: 'split', version: '', format: 'audio/x-mulaw;rate=8000', headers: {},
    startedAt: '2026-01-05T09:00:00.000Z', endedAt: '2026-01-05T09:00:00.000Z', durationMs: 0, endReason: 'completed',
    nodes: [], inputs: [], fetches: [], recordings: [], prompts: [], timeline: [],
  };
  return replayCall(start, prepared.compiled.get('split')!, prepared.prompts);
}

describe('replaying calls through a split', () => {
  test('each call takes the branch of its recorded id again', async () => {
    const [low, high] = [await recorded('call-3'), await recorded('call-11')];
    assert.deepEqual(low.nodes, ['try_new', 'new_greeting', 'bye']);
    assert.deepEqual(high.nodes, ['try_new', 'old_greeting', 'bye']);
    const report = await replayRecords([low, high], [FIXTURE]);
    assert.deepEqual(report.results.map((r) => r.status), ['same', 'same']);
  });

  test('lowering the percentage moves bucket 9 to the rest: that call diverges, the other does not', async () => {
    const records = [await recorded('call-3'), await recorded('call-11')];
    const dir = tempDir('ivr-split-');
    await cp(join(FIXTURE, 'prompts'), join(dir, 'prompts'), { recursive: true });
    const yaml = await readFile(join(FIXTURE, 'split.yaml'), 'utf8');
    await writeFile(join(dir, 'split.yaml'), yaml.replace('percent: 10', 'percent: 5'));
    const report = await replayRecords(records, [dir]);
    assert.deepEqual(report.results.map((r) => [r.callId, r.status]), [['call-3', 'diverged'], ['call-11', 'same']]);
    const diverged = report.results[0]!;
    assert.equal(diverged.status === 'diverged' && diverged.divergence.what, 'node');
  });
});
