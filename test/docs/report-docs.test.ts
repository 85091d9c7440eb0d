/**
 * README's "Reading the report" is true to the code: its table of figures is definitions.ts, its
 * example output is what `ivr report` prints for the golden records, and every command line in
 * its examples runs (with the golden records as calls.jsonl).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, test } from 'node:test';
import { report } from '../../src/cli/report.js';
import { ALL_FIGURES } from '../../src/report/definitions.js';
import { renderReportText } from '../../src/report/render-text.js';
import { goldenRecords } from '../report/golden.js';
import { codeBlocks, section, tableRows } from './markdown.js';
import { runCli } from '../support/run-cli.js';

const readme = readFileSync('README.md', 'utf8');
const reading = section(readme, '## Reading the report');

describe('README: Reading the report', () => {
  test('the table of figures is definitions.ts, row for row', () => {
    const start = reading.indexOf('| figure | of | means |');
    const rows = tableRows(reading.slice(start, reading.indexOf('\n\n', start))).filter((r) => r[0] !== 'figure');
    assert.deepEqual(rows, ALL_FIGURES.map((f) => [`\`${f.name}\``, f.of, f.means]));
  });

  test('the example output is what ivr report prints for the golden records', async () => {
    const golden = await goldenRecords();
    try {
      const shown = codeBlocks(reading).find((b) => b.lang === 'text')!.body;
      const version = golden.records[0]!.version;
      assert.equal(shown.replace(/\(versions [0-9a-f]+\)/, `(versions ${version})`), renderReportText(await report([golden.file])));
    } finally {
      golden.cleanup();
    }
  });

  test('every example command runs on the golden records', async () => {
    const golden = await goldenRecords();
    try {
      const sh = codeBlocks(reading).find((b) => b.lang === 'sh')!.body;
      const lines = sh.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l.startsWith('ivr '));
      assert.ok(lines.length >= 6);
      for (const line of lines) {
        const args = [...line.replace(/\s*>\s*\S+$/, '').matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1)
          .map((a) => a.replace(/^calls\.jsonl$/, golden.file).replace(/^records\//, `${dirname(golden.file)}/`));
        // In this process, through the command table; a non-zero exit fails as the child process's did.
        const run = await runCli(args);
        assert.equal(run.status, 0, `${line}: exit ${run.status}\n${run.stderr}`);
        const out = run.stdout;
        assert.ok(out.length > 100, `${line}: printed ${out.length} characters`);
        if (args[0] === 'report' && !args.includes('--format')) assert.match(out, /^records 10, skipped 0\n/, line);
      }
    } finally {
      golden.cleanup();
    }
  });
});
