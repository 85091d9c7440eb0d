/**
 * The golden records: the ten calls of test/fixtures/report/desk.test.yaml run through the real
 * engine on the simulated clock, and every figure `ivr report` must give for them, worked out by
 * hand from the cases (see the comments) rather than copied from the report's output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { drawFlows } from '../../src/cli/graph.js';
import { report } from '../../src/cli/report.js';
import type { CallRecord } from '../../src/ops/call-records.js';
import type { FlowFigures } from '../../src/report/report-data.js';
import { recordTestCalls, writeRecords } from '../support/call-records.js';

export const GOLDEN_FLOWS = 'test/fixtures/report';

/** The records, written to a fresh temporary file; `tail` is appended as is (a torn line). */
export async function goldenRecords(tail = ''): Promise<{ file: string; records: CallRecord[]; cleanup(): void }> {
  const records = await recordTestCalls([GOLDEN_FLOWS]);
  const dir = mkdtempSync(join(tmpdir(), 'ivr-report-'));
  const file = join(dir, 'calls.jsonl');
  await writeRecords(file, records, tail);
  return { file, records, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * desk's figures. Durations are the cases' waits: 1000, 2000, 4250 (3 s wait, then the transfer
 * ends 1.25 s after its tones), 1250, 4000, 4000, 3000, 10000, 0, 3000. Sorted, nearest rank:
 * p50 = 5th = 3000, p90 = 9th = 4250, p99 = 10th = 10000.
 */
export function goldenFigures(version: string): FlowFigures {
  return {
    id: 'desk',
    versions: [version],
    calls: 10,
    // balance x2 and two silences -> goodbye (completed); agent x2; hang-ups in menu and PIN.
    outcomes: { completed: 3, hangup: 2, transferred: 2, 'closed-today': 1, error: 1, 'pin-refused': 1 },
    contained: 5,
    containment: 0.5,
    durationMs: { p50: 3000, p90: 4250, p99: 10000 },
    nodes: {
      greet: { entries: 10, calls: 10, hangups: 0, dropOff: 0, exits: { main: 10 } },
      main: { entries: 10, calls: 10, hangups: 1, dropOff: 0.1, exits: { pin: 5, operator: 2, closed: 1, goodbye: 1 } },
      'check-pin/ask': { entries: 5, calls: 5, hangups: 1, dropOff: 0.2, exits: { 'check-pin/ok': 3, 'check-pin/refused': 1 } },
      pin: { entries: 5, calls: 5, hangups: 0, dropOff: 0, exits: { 'check-pin/ask': 5 } },
      'check-pin/ok': { entries: 3, calls: 3, hangups: 0, dropOff: 0, exits: { lookup: 3 } },
      goodbye: { entries: 3, calls: 3, hangups: 0, dropOff: 0, exits: {} },
      lookup: { entries: 3, calls: 3, hangups: 0, dropOff: 0, exits: { say_balance: 2, sorry: 1 } },
      operator: { entries: 2, calls: 2, hangups: 0, dropOff: 0, exits: {} },
      say_balance: { entries: 2, calls: 2, hangups: 0, dropOff: 0, exits: { goodbye: 2 } },
      'check-pin/refused': { entries: 1, calls: 1, hangups: 0, dropOff: 0, exits: {} },
      closed: { entries: 1, calls: 1, hangups: 0, dropOff: 0, exits: {} },
      sorry: { entries: 1, calls: 1, hangups: 0, dropOff: 0, exits: {} },
    },
    inputs: {
      // 9 calls decide once in the menu, the silent one twice (noInput x2, failed), the wrong key once more.
      main: { attempts: 11, noInput: 2, noMatch: 1, matches: { 1: 5, 0: 1, 2: 1, 3: 1 }, failed: 1, failureRate: 0.1 },
      // PINs are sensitive: three accepted, 0000 refused twice (failed once, to onFailure).
      'check-pin/ask': { attempts: 5, noInput: 0, noMatch: 2, matches: { '***': 3 }, failed: 1, failureRate: 0.2 },
    },
    fetches: {
      // Two canned answers at once (0 ms), one timeout after the node's 3 s.
      'GET https://api.test/accounts/{}/balance': { count: 3, errors: { timeout: 1 }, p50Ms: 0, p95Ms: 3000 },
    },
  };
}

/** The golden flow drawn by `ivr graph --heat` with the golden records. */
export async function goldenHeat(format: 'mermaid' | 'dot'): Promise<string> {
  const golden = await goldenRecords();
  try {
    const heat = new Map((await report([golden.file])).flows.map((f) => [f.id, f]));
    const { drawn, diagnostics } = await drawFlows([`${GOLDEN_FLOWS}/desk.yaml`], format, undefined, heat);
    assert.deepEqual(diagnostics, []);
    return drawn[0]!.text;
  } finally {
    golden.cleanup();
  }
}
