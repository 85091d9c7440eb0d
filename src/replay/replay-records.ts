import { hasErrors } from '../diagnostics/diagnostic.js';
import type { CallRecord } from '../ops/call-records.js';
import { errorsOf, prepareFlows } from '../pipeline/prepare-flows.js';
import { compareCalls, type Divergence } from './compare-calls.js';
import { replayCall } from './replay-call.js';
import { notReplayable } from './replayable.js';

/** One recorded call, replayed. */
export type ReplayResult =
  | { callId: string; flow: string; status: 'same'; versionChanged: boolean }
  | { callId: string; flow: string; status: 'diverged'; versionChanged: boolean; divergence: Divergence }
  | { callId: string; flow: string; status: 'not-replayable'; reason: string };

export interface ReplayReport {
  results: ReplayResult[];
  /** True when no call diverged (not-replayable calls are reported, not failures). */
  ok: boolean;
}

/**
 * Replays `records` against the flows under `flowPaths` as they are now (loaded, checked and
 * compiled as `ivr serve` would) and says, per call, whether it behaves the same.
 *
 * @example
 *   const report = await replayRecords(await readCallRecords('calls.jsonl'), ['flows/']);
 *   for (const r of report.results) console.log(r.callId, r.status);
 */
export async function replayRecords(records: readonly CallRecord[], flowPaths: readonly string[]): Promise<ReplayReport> {
  const { value: prepared, diagnostics } = await prepareFlows(flowPaths);
  const results: ReplayResult[] = [];
  for (const record of records) {
    const base = { callId: record.callId, flow: record.flow };
    const reason = notReplayable(record);
    if (reason !== undefined) {
      results.push({ ...base, status: 'not-replayable', reason });
      continue;
    }
    const loaded = prepared.loaded.get(record.flow);
    const compiled = prepared.compiled.get(record.flow);
    if (!loaded || !compiled) {
      const why = loaded && hasErrors(errorsOf(diagnostics, loaded)) ? `flow '${record.flow}' has errors (run ivr validate)` : `no flow '${record.flow}' under ${flowPaths.join(', ')}`;
      results.push({ ...base, status: 'not-replayable', reason: why });
      continue;
    }
    const actual = await replayCall(record, compiled, prepared.prompts);
    const divergence = compareCalls(record, actual);
    const versionChanged = compiled.version !== record.version;
    results.push(divergence ? { ...base, status: 'diverged', versionChanged, divergence } : { ...base, status: 'same', versionChanged });
  }
  return { results, ok: results.every((r) => r.status !== 'diverged') };
}
