/**
 * How a flow file's path is resolved: once per file and once per folder in a load, and the real
 * path then opened without following a link, so a link swapped in between is refused. The
 * resolution is watched through `fs.realpathSync` (the builtin's ESM bindings synced to the mock).
 */
import assert from 'node:assert/strict';
import fs, { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, mock, test } from 'node:test';
import { readFlowFile, realFolder } from '../../src/parse/read-flow-file.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { flowDir } from '../check/flow-dir.js';
import { tempDir } from '../support/temp-dir.js';

const realpath = fs.realpathSync;

/** Replaces `fs.realpathSync` (and the ESM bindings of it) until the test ends. */
function watchRealpath(answer: (path: string) => string = (path) => realpath(path)): string[] {
  const asked: string[] = [];
  mock.method(fs, 'realpathSync', (path: fs.PathLike) => {
    asked.push(String(path));
    return answer(String(path));
  });
  syncBuiltinESMExports();
  return asked;
}

afterEach(() => {
  mock.restoreAll();
  syncBuiltinESMExports();
});

describe('reading flow files', () => {
  test('a load resolves each flow file once and its folder once', async () => {
    const flow = (next: string): string => `ivr: 1\nnodes:\n  a:\n    end: { reason: ${next} }\n`;
    const dir = flowDir(Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((id) => [`${id}.yaml`, flow(id)])));
    const asked = watchRealpath();
    const set = await loadFlows([dir]);
    assert.equal(set.flows.size, 5);
    const times = new Map<string, number>();
    // Module loading resolves paths too (a lazily required library): only the folder's count here.
    for (const path of asked.filter((p) => p.startsWith(dir))) times.set(path, (times.get(path) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(times), { [dir]: 1, ...Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((id) => [join(dir, `${id}.yaml`), 1])) });
  });

  test('a link swapped in after the path was resolved is refused, not followed out of the folder', () => {
    const root = tempDir('ivr-swap-');
    mkdirSync(join(root, 'flows'));
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'outside', 'secret.yaml'), 'token: s3cr3t-5f0e2c\n');
    const file = join(root, 'flows', 'menu.yaml');
    symlinkSync('../outside/secret.yaml', file);
    const folder = realFolder(join(root, 'flows'));
    // The first resolution ran while menu.yaml was still a regular file: the link appeared after it.
    let swapped = false;
    watchRealpath((path) => {
      if (path !== file || swapped) return realpath(path);
      swapped = true;
      return path;
    });
    const read = readFlowFile(file, folder);
    assert.deepEqual(read, { ok: false, code: 'file-outside-folder', message: 'links to a file outside the flows folder; only files inside the folder are read' });
  });

  test('a parent folder swapped for a link after the check is refused: the file opened is checked, not the path', () => {
    const root = tempDir('ivr-swap-parent-');
    mkdirSync(join(root, 'flows', 'sub'), { recursive: true });
    mkdirSync(join(root, 'outside', 'sub'), { recursive: true });
    writeFileSync(join(root, 'flows', 'sub', 'menu.yaml'), 'ivr: 1\nnodes: {}\n');
    writeFileSync(join(root, 'outside', 'sub', 'menu.yaml'), 'token: s3cr3t-77a1\n');
    const folder = realFolder(join(root, 'flows'));
    const file = join(root, 'flows', 'sub', 'menu.yaml');
    // Right after the file's path is resolved (inside the folder), `sub` becomes a link out of it.
    watchRealpath((path) => {
      const real = realpath(path);
      if (path === file) {
        renameSync(join(root, 'flows', 'sub'), join(root, 'flows', 'old'));
        symlinkSync('../outside/sub', join(root, 'flows', 'sub'));
      }
      return real;
    });
    const read = readFlowFile(file, folder);
    assert.deepEqual(read, { ok: false, code: 'file-outside-folder', message: 'links to a file outside the flows folder; only files inside the folder are read' });
  });
});
