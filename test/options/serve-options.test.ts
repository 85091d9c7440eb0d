import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attributeOf, formatDuration, formatSize, markdownTable, parseSize, readOption, readOptions } from '../../src/options/option-schema.js';
import { SERVE_OPTIONS, SERVE_PATHS_ROW } from '../../src/options/serve-options.js';
import { checkServerOptions } from '../../src/plivo/server-options.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const spec = (key: string) => SERVE_OPTIONS.find((s) => s.key === key)!;

describe('the serve option schema', () => {
  test('README.md "serve options" shows the table the schema makes', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = markdownTable(SERVE_OPTIONS, [SERVE_PATHS_ROW]);
    assert.ok(readme.includes(`\n${table}\n`), `README.md ## serve options should hold this table:\n${table}`);
  });

  test('every number has bounds, and its default is inside them', () => {
    for (const s of SERVE_OPTIONS) {
      if (s.kind !== 'int' && s.kind !== 'size' && s.kind !== 'duration') continue;
      assert.ok(s.min <= s.default && s.default <= s.max, `${s.flag}: default ${s.default} outside ${s.min}-${s.max}`);
    }
  });

  test('flags are unique, and each reaches its own config field', () => {
    const attributes = SERVE_OPTIONS.map(attributeOf);
    assert.equal(new Set(attributes).size, attributes.length);
    assert.equal(new Set(SERVE_OPTIONS.map((s) => s.key)).size, SERVE_OPTIONS.length);
    assert.equal(attributeOf(spec('maxBufferedBytes')), 'maxBuffered');
    assert.equal(attributeOf(spec('reload')), 'reload');
    assert.equal(attributeOf(spec('env')), 'allowEnv');
  });

  test('sizes read as k/m multiples and print back the same way', () => {
    assert.deepEqual(['65536', '64k', '64KiB', '1m', '1 MB', '12x', ''].map(parseSize), [65536, 65536, 65536, 1_048_576, 1_048_576, undefined, undefined]);
    assert.deepEqual([65536, 1_048_576, 1000].map(formatSize), ['64k', '1m', '1000']);
    assert.deepEqual([3_600_000, 120_000, 2000, 250].map(formatDuration), ['1h', '2m', '2s', '250ms']);
  });

  test('a value outside the bounds is one line naming the flag, the bounds and the value', () => {
    assert.deepEqual(readOption(spec('maxPayload'), '100m'), { problem: '--max-payload must be a size from 1k to 64m (bytes, or with k/m), got "100m"' });
    assert.deepEqual(readOption(spec('startTimeoutMs'), '2h'), { problem: '--start-timeout must be a duration from 1ms to 1h (like 500ms, 10s, 2m), got "2h"' });
    assert.deepEqual(readOption(spec('port'), '65536'), { problem: '--port must be a whole number from 0 to 65535, got "65536"' });
    assert.deepEqual(readOption(spec('drainTimeoutMs'), '90m'), { problem: '--drain-timeout must be a duration from 0ms to 1h (like 500ms, 10s, 2m), got "90m"' });
    assert.deepEqual(readOption(spec('maxPayload'), '64m'), { value: 64 * 1024 * 1024 });
  });

  test('the environment is read when the flag is absent, and bad environment values name the flag', () => {
    const read = readOptions(SERVE_OPTIONS, {}, { IVR_PORT: 'eighty' });
    assert.deepEqual(read, { ok: false, problems: ['--port must be a whole number from 0 to 65535, got "eighty"'] });
  });

  test('createServer options given in code are checked with the same bounds', () => {
    const flows = (): never => {
      throw new Error('unused');
    };
    assert.deepEqual(checkServerOptions({ flows, maxPayload: 100 * 1024 * 1024, startTimeoutMs: 2 * 3_600_000 }), [
      'startTimeoutMs must be an integer from 1 to 3600000, got 7200000',
      'maxPayload must be an integer from 1024 to 67108864, got 104857600',
    ]);
  });
});

describe('ivr serve with a bad option value', () => {
  for (const [flag, value, message] of [
    ['--max-payload', '100m', 'ivr serve: --max-payload must be a size from 1k to 64m (bytes, or with k/m), got "100m"'],
    ['--start-timeout', '2h', 'ivr serve: --start-timeout must be a duration from 1ms to 1h (like 500ms, 10s, 2m), got "2h"'],
  ] as const) {
    test(`${flag} ${value} exits 2 with one line, and creates no file`, () => {
      const cwd = mkdtempSync(join(tmpdir(), 'ivr-bad-option-'));
      try {
        const run = spawnSync(process.execPath, [join(root, 'bin', 'ivr.js'), 'serve', join(root, 'flows'), '--port', '0', flag, value], { cwd, encoding: 'utf8', timeout: 20_000 });
        assert.equal(run.status, 2, run.stderr);
        assert.equal(run.stderr, `${message}\n`);
        assert.equal(run.stdout, '');
        assert.deepEqual(readdirSync(cwd), []);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  }
});
