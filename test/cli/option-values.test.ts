/**
 * Every command's options come from one schema (src/options/command-options.ts, serve-options.ts):
 * a bad value is a usage error, exit 2, one line naming the option, what it accepts and the value,
 * found before the command is loaded, so nothing is read, run or written.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_OPTIONS, COMPILE_OPTIONS, GRAPH_OPTIONS, REPLAY_OPTIONS, REPORT_OPTIONS, TEST_OPTIONS, VALIDATE_OPTIONS } from '../../src/options/command-options.js';
import { defaultText, flagName, type OptionSpec } from '../../src/options/option-schema.js';
import { codeOf, section, tableRows } from '../docs/markdown.js';
import { runCli } from '../support/run-cli.js';

/** A path that does not exist: were the command to run, it would say so (a different message). */
const NOWHERE = 'no/such/flows';

const BAD: [command: string, args: string[], stderr: string][] = [
  ['validate', ['--format', 'xml'], 'ivr validate: --format must be text, json or github, got "xml"'],
  ['compile', ['--format', 'yaml'], 'ivr compile: --format must be json or text, got "yaml"'],
  ['test', ['--min-coverage', '120'], 'ivr test: --min-coverage must be a number from 0 to 100%, got "120"'],
  ['test', ['--min-coverage', 'lots'], 'ivr test: --min-coverage must be a number from 0 to 100%, got "lots"'],
  ['test', ['--format', 'tap'], 'ivr test: --format must be text, json or github, got "tap"'],
  ['call', ['--call-id', 'has space'], 'ivr call: --call-id must be 1 to 128 printable characters without spaces, got "has space"'],
  ['call', ['--url', 'http://127.0.0.1:1/stream/main'], 'ivr call: --url must be a ws:// or wss:// URL, got "http://127.0.0.1:1/stream/main"'],
  ['graph', ['--format', 'png'], 'ivr graph: --format must be mermaid or dot, got "png"'],
  ['replay', ['--format', 'xml'], 'ivr replay: --format must be text or json, got "xml"'],
  ['report', ['--by', 'week'], 'ivr report: --by must be version or day, got "week"'],
  ['report', ['--since', 'last tuesday'], 'ivr report: --since must be a date (2026-12-01, UTC) or an ISO 8601 time with its offset (2026-12-01T09:00:00Z), got "last tuesday"'],
  // Date.parse would read these as March 2 and as the year 2001 (src/flow/instant.ts, the rule start.at follows too).
  ['report', ['--since', '2026-02-30'], 'ivr report: --since must be a date (2026-12-01, UTC) or an ISO 8601 time with its offset (2026-12-01T09:00:00Z) (2026-02 has no day 30 (it has 28)), got "2026-02-30"'],
  ['report', ['--until', '1'], 'ivr report: --until must be a date (2026-12-01, UTC) or an ISO 8601 time with its offset (2026-12-01T09:00:00Z), got "1"'],
  ['report', ['--until', '2026-12-01T09:00'], 'ivr report: --until must be a date (2026-12-01, UTC) or an ISO 8601 time with its offset (2026-12-01T09:00:00Z), got "2026-12-01T09:00"'],
  ['report', ['--format', 'pdf'], 'ivr report: --format must be text, json or html, got "pdf"'],
  ['serve', ['--workers', '300'], 'ivr serve: --workers must be a whole number from 0 to 256, got "300"'],
];

describe('a bad option value is a usage error before the command runs', () => {
  for (const [command, args, stderr] of BAD) {
    test(`ivr ${command} ${args.join(' ')}: exit 2, one line`, async () => {
      const run = await runCli([command, NOWHERE, ...args], { env: {} });
      assert.deepEqual([run.status, run.stderr, run.stdout], [2, `${stderr}\n`, '']);
    });
  }

  test('every bad value is named, one line each', async () => {
    const run = await runCli(['report', 'calls.jsonl', '--by', 'week', '--until', 'soon', '--format', 'pdf'], { env: {} });
    assert.equal(run.status, 2);
    assert.deepEqual(run.stderr.trimEnd().split('\n'), [
      'ivr report: --until must be a date (2026-12-01, UTC) or an ISO 8601 time with its offset (2026-12-01T09:00:00Z), got "soon"',
      'ivr report: --by must be version or day, got "week"',
      'ivr report: --format must be text, json or html, got "pdf"',
    ]);
  });

  test('nothing is written: ivr test --generate with a bad --format writes no test file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-bad-option-'));
    try {
      const flow = join(dir, 'small.yaml');
      copyFileSync('test/testing/fixtures/small/small.yaml', flow);
      const run = await runCli(['test', '--generate', flow, '--format', 'tap'], { env: {} });
      assert.equal(run.status, 2, run.stdout);
      assert.deepEqual(readdirSync(dir), ['small.yaml']);
      assert.equal(existsSync(join(dir, 'small.test.yaml')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('good values arrive typed: --min-coverage 28.4 passes and 28.6 fails a flow covered 28.5%', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-min-coverage-'));
    try {
      cpSync('test/testing/fixtures/small/small.yaml', join(dir, 'small.yaml'));
      cpSync('test/testing/fixtures/small/prompts', join(dir, 'prompts'), { recursive: true });
      // greet, main, sales and option "1" of 14 items.
      writeFileSync(join(dir, 'small.test.yaml'), 'cases:\n  - name: sales\n    steps:\n      - played\n      - press: "1"\n      - expect: { node: sales }\n');
      const above = await runCli(['test', dir, '--min-coverage', '28.4'], { env: {} });
      assert.equal(above.status, 0, above.stdout + above.stderr);
      const below = await runCli(['test', dir, '--min-coverage', '28.6'], { env: {} });
      assert.equal(below.status, 1, below.stderr);
      assert.match(below.stdout, /28\.5% \(4\/14\)\s+\(below --min-coverage 28\.6\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('README.md "Commands" shows each command\'s options as its schema has them', () => {
  const rows = tableRows(section(readFileSync('README.md', 'utf8'), '## Commands'));
  const schemas: [string, readonly OptionSpec[]][] = [
    ['validate', VALIDATE_OPTIONS], ['compile', COMPILE_OPTIONS], ['test', TEST_OPTIONS], ['call', CALL_OPTIONS],
    ['graph', GRAPH_OPTIONS], ['replay', REPLAY_OPTIONS], ['report', REPORT_OPTIONS],
  ];
  for (const [command, schema] of schemas) {
    test(`ivr ${command}: every flag, its choices, bounds and default; no other flag`, () => {
      const row = rows.find((r) => codeOf(r[0] ?? '').startsWith(`ivr ${command}`));
      assert.ok(row, `no Commands row for ivr ${command}`);
      const cell = (row[2] ?? '').replace(/\\\|/g, '|');
      assert.deepEqual([...new Set(cell.match(/--[a-z-]+/g))].sort(), schema.map(flagName).sort(), cell);
      for (const spec of schema) {
        if (spec.kind === 'choice') assert.ok(cell.includes(`\`${flagName(spec)} ${spec.choices.join('|')}\``), `${flagName(spec)}: ${spec.choices.join('|')}`);
        if (spec.kind === 'number') assert.ok(cell.includes(`${spec.min}-${spec.max}`), `${flagName(spec)}: ${spec.min}-${spec.max}`);
        const shown = defaultText(spec);
        if (shown !== undefined) assert.ok(cell.includes(`\`${shown}\``), `${flagName(spec)}: default ${shown}`);
      }
    });
  }
});
