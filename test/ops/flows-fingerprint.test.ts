/**
 * The periodic rescan's view of the flows folder (the watcher's backstop): every way a file can
 * change what is served changes the fingerprint, and files that cannot change it do not.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flowsFingerprint } from '../../src/ops/flows-fingerprint.js';
import { affectsServing } from '../../src/ops/reload.js';

describe('flows fingerprint (the rescan backstop)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ivr-fingerprint-'));
    await mkdir(join(dir, 'prompts'));
    await writeFile(join(dir, 'a.yaml'), 'one');
    await writeFile(join(dir, 'prompts', 'hi.wav'), 'RIFF');
    await mkdir(join(dir, '..2026_1'));
    await writeFile(join(dir, '..2026_1', 'cm.yaml'), 'cm one');
    await symlink('..2026_1', join(dir, '..data'));
    await symlink(join('..data', 'cm.yaml'), join(dir, 'cm.yaml'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const fp = (): Promise<string> => flowsFingerprint([dir], affectsServing);
  const changes = async (what: string, change: () => Promise<unknown>): Promise<void> => {
    const before = await fp();
    await change();
    assert.notEqual(await fp(), before, `${what} changes the fingerprint`);
  };
  const keeps = async (what: string, change: () => Promise<unknown>): Promise<void> => {
    const before = await fp();
    await change();
    assert.equal(await fp(), before, `${what} leaves the fingerprint alone`);
  };

  test('is stable while nothing changes', async () => {
    assert.equal(await fp(), await fp());
  });

  test('changes on an in-place write, a rename over, a new file, a delete, a prompt, and a ConfigMap ..data swap', async () => {
    await changes('in-place write', () => writeFile(join(dir, 'a.yaml'), 'two'));
    await changes('renamed over', async () => {
      await writeFile(join(dir, '.a.yaml.tmp'), 'two');
      await rename(join(dir, '.a.yaml.tmp'), join(dir, 'a.yaml'));
    });
    await changes('new file', () => writeFile(join(dir, 'b.yml'), 'b'));
    await changes('deleted file', () => unlink(join(dir, 'b.yml')));
    await changes('prompt audio', () => writeFile(join(dir, 'prompts', 'hi.wav'), 'RIFF2'));
    await changes('..data swapped', async () => {
      await mkdir(join(dir, '..2026_2'));
      await writeFile(join(dir, '..2026_2', 'cm.yaml'), 'cm one'); // same bytes, new file
      await symlink('..2026_2', join(dir, '..data_tmp'));
      await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    });
  });

  test('ignores what cannot change what is served: call records, flow tests, notes, editor files', async () => {
    await keeps('call records', () => writeFile(join(dir, 'calls.jsonl'), '{}\n'));
    await keeps('a flow test', () => writeFile(join(dir, 'a.test.yaml'), 'cases: []'));
    await keeps('notes and swap files', async () => {
      await writeFile(join(dir, 'README.md'), '#');
      await writeFile(join(dir, '.a.yaml.swp'), 'x');
    });
  });
});
