import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileCycles, folderCycles, importGraph } from '../support/import-graph.js';

const src = fileURLToPath(new URL('../../../src/', import.meta.url));

describe('src/ has no import cycles', () => {
  const graph = importGraph(src);

  test('the graph is read (every folder of src/ and the imports between them)', () => {
    assert.ok(graph.files.size > 100, `only ${graph.files.size} files read`);
    assert.ok(graph.files.get('pipeline/prepare-flows.ts')?.has('compile/index.ts'));
    assert.ok(graph.files.get('cli/main.ts')?.has('cli/validate.ts'), 'a lazy import(...) counts');
  });

  test('no two files import each other, directly or around a loop', () => {
    assert.deepEqual(fileCycles(graph), []);
  });

  test('no two folders import each other: the folders are layers', () => {
    const cycles = folderCycles(graph);
    assert.deepEqual(cycles, [], cycles.map((c) => `${c.folders.join(' <-> ')}:\n  ${c.imports.join('\n  ')}`).join('\n'));
  });
});

describe('the cycle finder', () => {
  test('finds a file loop through a type-only import, and the folder loop it makes', () => {
    const root = mkdtempSync(join(tmpdir(), 'ivr-cycles-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      write('a/one.ts', "import { two } from '../b/two.js';\nexport const one = two;\n");
      write('b/two.ts', "import type { Three } from './three.js';\nexport const two = 2 as Three;\n");
      write('b/three.ts', "export type Three = number;\nexport const later = () => import('../a/one.js');\n");
      write('c/alone.ts', "import { one } from '../a/one.js';\nexport const alone = one;\n");
      const graph = importGraph(root);
      assert.deepEqual(fileCycles(graph), [['a/one.ts', 'b/two.ts', 'b/three.ts']]);
      assert.deepEqual(folderCycles(graph), [{ folders: ['a', 'b'], imports: ['a/one.ts -> b/two.ts', 'b/three.ts -> a/one.ts'] }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
