/**
 * Issue 10: "dropped into a served folder, the unauthenticated /readyz returned PLIVO_AUTH_TOKEN=…
 * inside the failed-reload diagnostics". A link to /proc/self/environ, or a file of environment
 * text, lands in the folder of a real ivr serve stack: the reload is refused by code and
 * position, and neither /readyz nor the printed report holds anything of the environment.
 */
import assert from 'node:assert/strict';
import { symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { serveOpsFlowPerSuite } from './support/ops-harness.js';

const SECRET = 'PLIVO_AUTH_TOKEN=s3cr3t-6a1f0d';

/** Values of this process's environment long enough to be secrets. */
function environmentValues(): string[] {
  return Object.values(process.env).filter((v): v is string => typeof v === 'string' && v.length >= 12 && !v.includes('/'));
}

describe('/readyz after an untrusted file lands in the served folder', () => {
  const suite = serveOpsFlowPerSuite();

  const readyz = async (): Promise<{ status: number; text: string; body: { failed?: { diagnostics: { code: string; line: number; col: number; file: string }[] } } }> => {
    const res = await fetch(`${suite.s.base}/readyz`);
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as never };
  };

  test('a link to /proc/self/environ: refused as file-outside-folder 1:1, nothing of the environment in /readyz or the report', async () => {
    const refused = suite.s.ops.reloader.nextReload();
    await symlink('/proc/self/environ', join(suite.fixture.dir, 'env.yaml'));
    assert.equal((await refused).ok, false);
    const { status, text, body } = await readyz();
    assert.equal(status, 503);
    assert.deepEqual(body.failed?.diagnostics.map((d) => `${d.file.split('/').pop()} ${d.code} ${d.line}:${d.col}`), ['env.yaml file-outside-folder 1:1']);
    for (const value of environmentValues()) {
      assert.ok(!text.includes(value), 'an environment value is in /readyz');
      assert.ok(!suite.reports.join('').includes(value), 'an environment value is in the printed report');
    }
    const fixed = suite.s.ops.reloader.nextReload();
    await unlink(join(suite.fixture.dir, 'env.yaml'));
    assert.equal((await fixed).ok, true);
  });

  test('environment text as a .yaml inside the folder: reported by code and position only', async () => {
    const refused = suite.s.ops.reloader.nextReload();
    await writeFile(join(suite.fixture.dir, 'secrets.yaml'), `HOME=/root\0${SECRET}\0PATH=/usr/bin\0`);
    assert.equal((await refused).ok, false);
    const { status, text } = await readyz();
    assert.equal(status, 503);
    assert.ok(!text.includes('s3cr3t') && !text.includes('PLIVO_AUTH_TOKEN'), text);
    assert.ok(!suite.reports.join('').includes('s3cr3t'), suite.reports.join(''));
    const fixed = suite.s.ops.reloader.nextReload();
    await unlink(join(suite.fixture.dir, 'secrets.yaml'));
    assert.equal((await fixed).ok, true);
    assert.equal((await readyz()).status, 200);
  });
});
