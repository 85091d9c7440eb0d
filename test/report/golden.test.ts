import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { report } from '../../src/cli/report.js';
import { renderReportText } from '../../src/report/render-text.js';
import { goldenFigures, goldenRecords } from './golden.js';

describe('ivr report over the golden records', () => {
  test('json: every figure is the one worked out by hand', async () => {
    const golden = await goldenRecords();
    try {
      const data = await report([golden.file]);
      const version = golden.records[0]!.version;
      assert.deepEqual(data, { records: 10, skipped: 0, flows: [goldenFigures(version)] });
    } finally {
      golden.cleanup();
    }
  });

  test('a torn last line is skipped: 1, and every figure stays the same', async () => {
    const golden = await goldenRecords('{"callId":"CA-torn","flow":"desk","ver');
    try {
      const data = await report([golden.file]);
      assert.equal(data.skipped, 1);
      assert.equal(data.records, 10);
      assert.deepEqual(data.flows, [goldenFigures(golden.records[0]!.version)]);
    } finally {
      golden.cleanup();
    }
  });

  test('text: the same figures under the same names', async () => {
    const golden = await goldenRecords();
    try {
      const text = renderReportText(await report([golden.file]));
      assert.equal(text, `records 10, skipped 0

flow desk  (versions ${golden.records[0]!.version})
  calls 10   contained 5   containment 0.5
  outcomes: completed 3, hangup 2, transferred 2, closed-today 1, error 1, pin-refused 1
  durationMs: p50 3000  p90 4250  p99 10000

  node               entries  calls  hangups  dropOff  exits
  greet                   10     10        0        0  main 10
  main                    10     10        1      0.1  pin 5, operator 2, closed 1, goodbye 1
  check-pin/ask            5      5        1      0.2  check-pin/ok 3, check-pin/refused 1
  pin                      5      5        0        0  check-pin/ask 5
  check-pin/ok             3      3        0        0  lookup 3
  goodbye                  3      3        0        0  -
  lookup                   3      3        0        0  say_balance 2, sorry 1
  operator                 2      2        0        0  -
  say_balance              2      2        0        0  goodbye 2
  check-pin/refused        1      1        0        0  -
  closed                   1      1        0        0  -
  sorry                    1      1        0        0  -

  input          attempts  noInput  noMatch  failed  failureRate  matches
  main                 11        2        1       1          0.1  0 1, 1 5, 2 1, 3 1
  check-pin/ask         5        0        2       1          0.2  *** 3

  fetch                                     count  p50Ms  p95Ms  errors
  GET https://api.test/accounts/{}/balance      3      0   3000  timeout 1
`);
    } finally {
      golden.cleanup();
    }
  });

  test('--flow, --since and --until choose calls; --by day splits them by the UTC day they started', async () => {
    const golden = await goldenRecords();
    try {
      // The cases start on the simulated clock's default day, 2026-01-05 09:00 UTC.
      assert.equal((await report([golden.file], { flow: 'other' })).records, 0);
      assert.equal((await report([golden.file], { since: '2026-01-06' })).records, 0);
      assert.equal((await report([golden.file], { until: '2026-01-05' })).records, 0);
      assert.equal((await report([golden.file], { since: '2026-01-05', until: '2026-01-06' })).records, 10);
      const byDay = await report([golden.file], { by: 'day' });
      assert.deepEqual(byDay.flows.map((f) => [f.id, f.day, f.calls]), [['desk', '2026-01-05', 10]]);
    } finally {
      golden.cleanup();
    }
  });

  test('records of several files (servers) merge into the same figures as one file', async () => {
    const a = await goldenRecords();
    const b = await goldenRecords();
    try {
      const data = await report([a.file, b.file]);
      assert.equal(data.records, 20);
      const one = goldenFigures(a.records[0]!.version);
      assert.equal(data.flows[0]!.calls, 20);
      assert.equal(data.flows[0]!.nodes.main!.hangups, 2 * one.nodes.main!.hangups);
      assert.equal(data.flows[0]!.containment, one.containment);
      assert.deepEqual(data.flows[0]!.durationMs, one.durationMs);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});
