import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { report } from '../../src/cli/report.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { RECORD_LIMITS, streamCallRecords, type CallRecord } from '../../src/ops/call-records.js';
import { buildReport } from '../../src/report/build-report.js';
import { expandPaths } from '../../src/report/expand-paths.js';
import { fetchKey } from '../../src/report/fetch-key.js';
import { FlowTally, NameBudget, OTHER, TALLY_LIMITS } from '../../src/report/flow-tally.js';
import { MAX_NAME_CHARS, keptName } from '../../src/report/definitions.js';
import { bucketOf, Histogram } from '../../src/report/histogram.js';
import { goldenRecords } from './golden.js';

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-report-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const minimal = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  callId: 'c', flow: 'f', version: 'v1', startedAt: '2026-12-01T10:00:00.000Z', durationMs: 1000, endReason: 'completed',
  nodes: ['a'], inputs: [], fetches: [], ...over,
});

describe('reading records: streamed, bounded, never fatal', () => {
  test('damaged, foreign and over-long lines are counted in skipped; the records around them are read', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'mixed.jsonl');
      const lines = [
        JSON.stringify(minimal({ callId: '1' })),
        'not json at all',
        JSON.stringify({ hello: 'a log line from something else' }),
        JSON.stringify(minimal({ nodes: 'a string, not a list' })),
        JSON.stringify(minimal({ inputs: [{ node: 'a', value: 1, outcome: 'match' }] })),
        `{"callId":"huge","pad":"${'x'.repeat(5000)}"}`,
        '',
        JSON.stringify(minimal({ callId: '2' })),
      ];
      writeFileSync(file, `${lines.join('\n')}\n`);
      let skipped = 0;
      const ids: string[] = [];
      for await (const r of streamCallRecords(file, { maxLineBytes: 1000, skipped: () => skipped++ })) ids.push(r.callId);
      assert.deepEqual(ids, ['1', '2']);
      assert.equal(skipped, 5);
    });
  });

  test('a line longer than the limit is skipped even when it spans many read chunks and has no end', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'endless.jsonl');
      // 3 MiB of one line after a good record: many 64 KiB read chunks, far over the default
      // limit (RECORD_LIMITS.bytes, the longest line the writer writes).
      assert.ok(RECORD_LIMITS.bytes < 3 * 1024 * 1024);
      writeFileSync(file, `${JSON.stringify(minimal())}\n{"flow":"${'9'.repeat(3 * 1024 * 1024)}`);
      const data = await buildReport([file]);
      assert.equal(data.records, 1);
      assert.equal(data.skipped, 1);
    });
  });

  test('sensitive inputs stay masked even when a record was written with the digits', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'leaky.jsonl');
      writeFileSync(file, `${JSON.stringify(minimal({ nodes: ['pin', 'done'], inputs: [{ node: 'pin', value: '4321', sensitive: true, outcome: 'match', at: 5 }] }))}\n`);
      const data = await buildReport([file]);
      assert.deepEqual(data.flows[0]!.inputs.pin!.matches, { '***': 1 });
      assert.doesNotMatch(JSON.stringify(data), /4321/);
    });
  });

  test('names from files are bounded: beyond the limit they count under (other)', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'many.jsonl');
      const lines = Array.from({ length: TALLY_LIMITS.keys + 20 }, (_, i) => JSON.stringify(minimal({ endReason: `reason-${i}`, nodes: ['a', `n${i}`] })));
      writeFileSync(file, `${lines.join('\n')}\n`);
      const f = (await buildReport([file])).flows[0]!;
      assert.equal(Object.keys(f.outcomes).length, TALLY_LIMITS.keys + 1);
      assert.equal(f.outcomes[OTHER], 20);
      assert.equal(Object.keys(f.nodes.a!.exits).length, TALLY_LIMITS.keys + 1);
      assert.equal(f.nodes.a!.exits[OTHER], 20);
    });
  });

  test('names from files are bounded in length too: flow, version, node, key, reason and fetch are kept cut to MAX_NAME_CHARS', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'long.jsonl');
      const long = (c: string): string => c.repeat(100_000);
      writeFileSync(file, `${JSON.stringify(minimal({
        flow: long('f'), version: long('v'), endReason: long('r'), nodes: [long('a'), long('b')],
        inputs: [{ node: long('a'), value: long('1'), sensitive: false, outcome: 'match', at: 5 }],
        fetches: [{ url: `http://x/${long('p')}`, method: 'GET', outcome: long('o'), ms: 3 }],
      }))}\n`);
      const data = await buildReport([file], { by: 'version', maxLineBytes: 2_000_000 });
      assert.equal(data.records, 1);
      const longest = Math.max(...[...JSON.stringify(data).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.length));
      assert.equal(longest, MAX_NAME_CHARS);
      assert.equal(data.flows[0]!.id, `${'f'.repeat(MAX_NAME_CHARS - 1)}…`);
      assert.equal(keptName(`${'a'.repeat(MAX_NAME_CHARS - 2)}😀tail`), `${'a'.repeat(MAX_NAME_CHARS - 2)}…`, 'an emoji is never cut in half');
    });
  });

  test('one record cannot run past the node limit, and all flows together share one budget of names', () => {
    const tally = new FlowTally('f');
    tally.add(minimal({ nodes: Array.from({ length: TALLY_LIMITS.nodes + 500 }, (_, i) => `n${i}`) }) as unknown as CallRecord);
    const nodes = tally.figures().nodes;
    assert.equal(Object.keys(nodes).length, TALLY_LIMITS.nodes + 1);
    assert.equal(nodes[OTHER]!.entries, 500);

    const budget = new NameBudget(6);
    const a = new FlowTally('a', {}, budget);
    const b = new FlowTally('b', {}, budget);
    a.add(minimal({ nodes: ['x', 'y', 'z'] }) as unknown as CallRecord); // 1 end reason, 3 nodes, 2 next nodes: the budget
    b.add(minimal({ nodes: ['p', 'q'] }) as unknown as CallRecord);
    assert.deepEqual(Object.keys(a.figures().nodes), ['x', 'y', 'z']);
    assert.deepEqual(Object.keys(b.figures().nodes), [OTHER]);
    assert.deepEqual(b.figures().outcomes, { [OTHER]: 1 });
  });

  test('a name like __proto__ is counted as a name', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'proto.jsonl');
      writeFileSync(file, `${JSON.stringify(minimal({ endReason: '__proto__', nodes: ['__proto__', 'constructor'] }))}\n`);
      const f = (await buildReport([file])).flows[0]!;
      assert.equal(f.outcomes.__proto__, 1);
      assert.equal(Object.keys(f.nodes).length, 2);
      assert.deepEqual(JSON.parse(JSON.stringify(f.nodes)).__proto__.exits, { constructor: 1 });
    });
  });

  test('globs name files; a pattern naming nothing is a usage error', async () => {
    const golden = await goldenRecords();
    try {
      const dir = golden.file.slice(0, golden.file.lastIndexOf('/'));
      writeFileSync(join(dir, 'b.jsonl'), '');
      assert.deepEqual((await expandPaths([`${dir}/*.jsonl`])).files, [join(dir, 'b.jsonl'), join(dir, 'calls.jsonl')]);
      assert.equal((await report([`${dir}/c*.jsonl`])).records, 10);
      await assert.rejects(report([`${dir}/*.csv`]), UsageError);
      await assert.rejects(report([golden.file], { by: 'week' }), /--by must be version or day/);
      await assert.rejects(report([golden.file], { since: 'last tuesday' }), /--since must be a date/);
    } finally {
      golden.cleanup();
    }
  });
});

describe('percentiles: a fixed-bucket histogram', () => {
  test('buckets keep milliseconds below 1000 and three significant digits above', () => {
    assert.deepEqual([0, 999, 1000, 1234, 41_234, 99_999, 123_456_789].map(bucketOf), [0, 999, 1000, 1230, 41_200, 99_900, 123_000_000]);
  });

  test('on 100,000 spread values each percentile is within 1 % below the exact nearest rank', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const values = Array.from({ length: 100_000 }, () => Math.floor(Math.exp(random() * 14)));
    const h = new Histogram();
    for (const v of values) h.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      const got = h.percentile(q);
      assert.ok(got <= exact && got >= exact * 0.99, `p${q * 100}: ${got} vs exact ${exact}`);
    }
  });
});

describe('fetch names', () => {
  test('path segments with digits or masks and every query value become {}', () => {
    assert.equal(fetchKey('get', 'http://billing/accounts/123?full=1&x=y#top'), 'GET http://billing/accounts/{}?full={}&x={}');
    assert.equal(fetchKey('POST', 'https://api.test/accounts/***/pay'), 'POST https://api.test/accounts/{}/pay');
    assert.equal(fetchKey('GET', 'http://127.0.0.1:8089/refills'), 'GET http://127.0.0.1:8089/refills');
  });
});
