import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { exprApi } from '../../src/check/expr-api.js';
import { analyseFlow } from '../../src/pipeline/analyse-flow.js';
import type { LoadShared } from '../../src/pipeline/analyse-flow.js';

/** The shipped flows, valid and rich (every node kind, templates, handlers, a subflow), to mutate. */
const BASES = readdirSync('flows').filter((f) => /^[^.]+\.yaml$/.test(f)).map((f) => resolve(join('flows', f)));
const TOKENS = ['', ' ', ':', '- ', '{', '}', '[', ']', '"', "'", 'next', 'menu', 'play', 'goto', '5s', '0', '"{{', 'input', 'nodes', '&a', '*a', '!!str', '#', 'null', '\t', '\n  '];

describe('the front end never throws on malformed flows', () => {
  for (const file of BASES) test(`random edits of ${file.split('/').pop()} give diagnostics with valid positions, not exceptions`, async () => {
    const shared: LoadShared = { expr: await exprApi(), probeCache: new Map(), resolveCache: new Map() };
    const lines = readFileSync(file, 'utf8').split('\n');
    const edit = fc.record({
      line: fc.nat({ max: lines.length - 1 }),
      column: fc.nat({ max: 40 }),
      kind: fc.constantFrom('insert', 'delete-line', 'duplicate-line', 'truncate'),
      token: fc.constantFrom(...TOKENS),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const mutated = [...lines];
        for (const e of edits) {
          const at = Math.min(e.line, mutated.length - 1);
          const text = mutated[at] ?? '';
          if (e.kind === 'insert') mutated[at] = text.slice(0, e.column) + e.token + text.slice(e.column);
          else if (e.kind === 'delete-line') mutated.splice(at, 1);
          else if (e.kind === 'duplicate-line') mutated.splice(at, 0, text);
          else mutated[at] = text.slice(0, e.column);
        }
        const source = mutated.join('\n');
        const { flow } = analyseFlow(file, source, shared);
        const lineCount = source.split('\n').length;
        for (const d of flow.diagnostics) {
          assert.ok(d.line >= 1 && d.line <= lineCount + 1, `${d.code} at line ${d.line} of ${lineCount}`);
          assert.ok(d.col >= 1, `${d.code} at col ${d.col}`);
          assert.ok(d.message.length > 0);
        }
      }),
      { numRuns: 150, seed: 20261124 },
    );
  });
});
