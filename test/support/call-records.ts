/**
 * Real call records for the report's tests and benchmark: flow test cases run through the real
 * engine (call session, compiled machine, simulated clock) with the same watcher `ivr serve
 * --records` uses, one record per case. `manyRecords` repeats such records with fresh call ids
 * and start times to any count, for the benchmark.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { recordCalls, type CallRecord, type CallRecordWriter } from '../../src/ops/call-records.js';
import { runTests } from '../../src/testing/run-tests.js';

/** The record of every case of the flow tests under `paths`; throws if a case fails (its record would not be the story the test tells). */
export async function recordTestCalls(paths: readonly string[]): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  const writer: CallRecordWriter = {
    file: '(memory)',
    append: async (record) => {
      records.push(record);
    },
    flush: async () => {},
    close: async () => {},
  };
  const result = await runTests(paths, { watchers: [recordCalls(writer)] });
  if (!result.ok) throw new Error(`flow tests under ${paths.join(', ')} failed: ${result.failed} case(s), ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return records;
}

/**
 * `count` records cycling through `base`, each with its own call id and a start time `spacingMs`
 * after the previous one (from `startAt`), as a busy server would write them.
 */
export function* manyRecords(base: readonly CallRecord[], count: number, startAt = Date.UTC(2026, 11, 1), spacingMs = 1000): Generator<CallRecord> {
  for (let i = 0; i < count; i++) {
    const r = base[i % base.length]!;
    const started = startAt + i * spacingMs;
    yield { ...r, callId: `CA${i}`, streamId: `ST${i}`, startedAt: new Date(started).toISOString(), endedAt: new Date(started + r.durationMs).toISOString() };
  }
}

/** Writes records as JSON Lines (what `ivr serve --records` writes), streaming. */
export async function writeRecords(file: string, records: Iterable<CallRecord>, tail = ''): Promise<void> {
  const out = createWriteStream(file);
  for (const r of records) {
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
  }
  out.end(tail);
  await once(out, 'finish');
}
