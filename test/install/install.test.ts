/**
 * The install paths the README gives: a packed tarball installed globally puts a working `ivr`
 * on PATH with no TypeScript anywhere (`npx ivr` in the clone: npx.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; out: string } {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

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
