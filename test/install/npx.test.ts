// test:serial: npx may run the project's prepare step (tsc rewrites dist/ under any test running beside it); npm run test:unit runs it after the others, alone.
/**
 * The install path the README gives for a clone: `npx ivr` runs the project's own launcher
 * (package.json links the package into its own node_modules/.bin).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; out: string } {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('npx ivr in the clone runs the project\'s launcher, offline, from an empty npm cache', () => {
  assert.equal(realpathSync(join(root, 'node_modules', '.bin', 'ivr')), join(root, 'bin', 'ivr.js'));
  // An empty npm cache and --offline: nothing can come from the registry. npm 11 still installs
  // the project itself into its npx cache and runs its `prepare` (tsc rewrites dist/ with the same
  // output), hence test:serial.
  const cache = mkdtempSync(join(tmpdir(), 'ivr-npx-cache-'));
  try {
    const r = run('npx', ['--offline', 'ivr', '--help'], { npm_config_cache: cache });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /Usage: ivr/);
    assert.match(r.out, /serve/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

