/**
 * The install paths the README gives work without compiling on first use: in a clone, `npx ivr`
 * runs the project's own launcher (npm 11 installs the project into npx's cache and runs its
 * `prepare`, whose `tsc -b` finds dist/ up to date and compiles nothing); and a packed tarball
 * installed globally puts a working `ivr` on PATH with no TypeScript anywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; out: string } {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('npx ivr in the clone runs bin/ivr.js, fetching and compiling nothing', () => {
  assert.equal(realpathSync(join(root, 'node_modules', '.bin', 'ivr')), join(root, 'bin', 'ivr.js'));
  // An empty npm cache and --offline: nothing can come from the registry. The build is up to date
  // (npm test builds first), so the `prepare` npx runs must leave dist/ as it is.
  const built = statSync(join(root, 'dist', 'src', 'cli', 'main.js')).mtimeMs;
  const cache = mkdtempSync(join(tmpdir(), 'ivr-npx-cache-'));
  try {
    const r = run('npx', ['--offline', 'ivr', '--help'], { npm_config_cache: cache });
    assert.equal(r.status, 0, r.out);
    assert.equal(statSync(join(root, 'dist', 'src', 'cli', 'main.js')).mtimeMs, built, 'npx compiled the project again');
    assert.match(r.out, /Usage: ivr/);
    assert.match(r.out, /serve/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a packed tarball installed globally in a temp prefix gives a working ivr on PATH', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-pack-'));
  try {
    // dist/ is already built (npm test builds first); packing must not compile again.
    const packed = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir]);
    assert.equal(packed.status, 0, packed.out);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, packed.out);
    const prefix = join(dir, 'prefix');
    const installed = run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)]);
    assert.equal(installed.status, 0, installed.out);
    const bin = join(prefix, 'bin', 'ivr');
    assert.ok(existsSync(bin), installed.out);
    // The global install has no TypeScript: the launcher can only be running the shipped dist/.
    assert.equal(existsSync(join(prefix, 'lib', 'node_modules', 'ivr', 'node_modules', 'typescript')), false);
    const help = run(bin, ['--help'], { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` });
    assert.equal(help.status, 0, help.out);
    assert.match(help.out, /Usage: ivr/);
    const validate = run(bin, ['validate', join(root, 'flows')]);
    assert.equal(validate.status, 0, validate.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
