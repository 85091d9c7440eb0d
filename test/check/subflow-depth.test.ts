/**
 * The subflow nesting bound (check/subflow-depth.ts): a flow whose subflow calls nest deeper than
 * MAX_SUBFLOW_DEPTH is a `subflow-too-deep` error on the subflow node that goes too deep, found
 * without recursion, so a chain of thousands of files is a diagnostic, not a stack overflow.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_SUBFLOW_DEPTH } from '../../src/check/subflow-depth.js';
import { compileFlowSet } from '../../src/compile/index.js';
import { runCli } from '../support/run-cli.js';
import { allDiagnostics, flowDir, loadSet } from './flow-dir.js';

/** A flow calling `child` from node `s` (with `extra` nodes), or returning when there is none. */
const flow = (child?: string, extra = ''): string =>
  `ivr: 1\nnodes:\n${child === undefined ? '' : `  s: { subflow: { flow: ${child} }, next: done }\n`}  done: { return: {} }\n${extra}`;

/** `<prefix>0` … `<prefix><levels>`: each calls the next, so `<prefix>0` nests `levels` levels. */
function chain(prefix: string, levels: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < levels; i++) files[`${prefix}${i}.yaml`] = flow(`${prefix}${i + 1}`);
  files[`${prefix}${levels}.yaml`] = flow();
  return files;
}

/** `code file line:col` of every diagnostic, in file order. */
const where = (d: { code: string; file: string; line: number; col: number }): string => `${d.code} ${basename(d.file, '.yaml')} ${d.line}:${d.col}`;

describe('subflows nesting deeper than MAX_SUBFLOW_DEPTH', () => {
  test('the bound is 32, as the guide and README say', () => {
    assert.equal(MAX_SUBFLOW_DEPTH, 32);
    const guide = readFileSync('flows/README.md', 'utf8');
    assert.match(guide, new RegExp(`^\\| \`subflow-too-deep\` \\| error \\| .*\\b${MAX_SUBFLOW_DEPTH} levels`, 'm'));
    assert.match(readFileSync('README.md', 'utf8'), new RegExp(`^\\| subflow nesting \\| ${MAX_SUBFLOW_DEPTH} levels`, 'm'));
  });

  test('a chain 33 levels deep is an error on the subflow node of the one flow over the bound; 32 levels is not', async () => {
    const over = await loadSet(chain('c', MAX_SUBFLOW_DEPTH + 1), ['.']);
    const found = allDiagnostics(over);
    assert.deepEqual(found.map(where), ['subflow-too-deep c0 3:25']);
    assert.equal(found[0]!.message, 'node `s`: calling subflow `c1` nests 33 levels of subflows (`c1` → `c2` → `c3` → …), over the 32 a flow may nest: call fewer subflows from subflows');
    // The flows within the bound are compiled; the one over it is not.
    assert.deepEqual([...compileFlowSet(over).keys()].sort(), Array.from({ length: MAX_SUBFLOW_DEPTH + 1 }, (_, i) => `c${i + 1}`).sort());

    const within = await loadSet(chain('c', MAX_SUBFLOW_DEPTH), ['.']);
    assert.deepEqual(allDiagnostics(within).map(where), []);
  });

  test('only the calls that go too deep are reported, on every flow over the bound', async () => {
    // top calls the 33-level chain's head (34 levels) from `s` and a flow of one level from `near`.
    const top = flow('c0', '  near: { subflow: { flow: leaf }, next: s }\n').replace('nodes:\n', 'start: near\nnodes:\n');
    const set = await loadSet({ ...chain('c', MAX_SUBFLOW_DEPTH + 1), 'top.yaml': top, 'leaf.yaml': flow() }, ['.']);
    const found = allDiagnostics(set);
    assert.deepEqual(found.map(where).sort(), ['subflow-too-deep c0 3:25', 'subflow-too-deep top 4:25']);
    assert.match(found.find((d) => d.file.endsWith('top.yaml'))!.message, /^node `s`: calling subflow `c0` nests 34 levels of subflows \(`c0` → `c1` → `c2` → …\)/);
  });

  test('a set with a cycle: the cycle adds nothing and is reported once, as recursive-subflow; the chain below it is measured', async () => {
    // a and x call each other; a also calls the chain d0 … d40; e calls x.
    const a = 'ivr: 1\nnodes:\n  s: { subflow: { flow: x }, next: deep }\n  deep: { subflow: { flow: d0 }, next: done }\n  done: { return: {} }\n';
    const set = await loadSet({ ...chain('d', 40), 'a.yaml': a, 'x.yaml': flow('a'), 'e.yaml': flow('x') }, ['.']);
    assert.deepEqual(allDiagnostics(set).map(where).sort(), [
      'recursive-subflow a 3:25', 'recursive-subflow x 3:25',
      'subflow-too-deep a 4:28',
      ...Array.from({ length: 40 - MAX_SUBFLOW_DEPTH }, (_, i) => `subflow-too-deep d${i} 3:25`),
    ].sort());
    assert.match(allDiagnostics(set).find((d) => d.code === 'subflow-too-deep' && d.file.endsWith('a.yaml'))!.message, /nests 41 levels of subflows \(`d0` → `d1` → `d2` → …\)/);
    // e reaches the cycle through x, whose call back to a added nothing: e has no error and is compiled (x, with errors, as a node that fails).
    assert.deepEqual(set.flows.get('e')!.diagnostics, []);
    assert.ok(compileFlowSet(set).get('e')!.machine);
  });
});

describe('calls on a cycle are left out of the depth', () => {
  test('a flow calling into a cycle above a deep chain gets the same verdict whatever the flows are named', async () => {
    // Before, the heights came from a search that met the cycle's flows in file order: named a and x,
    // e (calling x) had no error; named y and b, e was subflow-too-deep through b's call back to y.
    for (const [top, other] of [['a', 'x'], ['y', 'b']] as const) {
      const head = `ivr: 1\nnodes:\n  s: { subflow: { flow: ${other} }, next: deep }\n  deep: { subflow: { flow: d0 }, next: done }\n  done: { return: {} }\n`;
      const set = await loadSet({ ...chain('d', 40), [`${top}.yaml`]: head, [`${other}.yaml`]: flow(top), 'e.yaml': flow(other) }, ['.']);
      assert.deepEqual(set.flows.get('e')!.diagnostics, [], `named ${top} and ${other}`);
      assert.deepEqual(set.flows.get(top)!.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`).sort(), ['recursive-subflow 3:25', 'subflow-too-deep 4:28'], `named ${top} and ${other}`);
    }
  });
});

describe('ivr validate on a chain of 3000 subflow files', () => {
  test('ends with subflow-too-deep errors and exit code 1, not an internal error; also with a cycle above the chain and a flow reaching it', async () => {
    // a and x call each other, a also calls the chain's head f0, and e calls x (whose call back to a adds nothing):
    // e has no error, and compiling it (for its size) must not follow x, which has errors, down the chain.
    const a = 'ivr: 1\nnodes:\n  s: { subflow: { flow: x }, next: deep }\n  deep: { subflow: { flow: f0 }, next: done }\n  done: { return: {} }\n';
    const dir = flowDir({ ...chain('f', 2999), 'a.yaml': a, 'x.yaml': flow('a'), 'e.yaml': flow('x') });
    const r = await runCli(['validate', dir]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    const errors = lines.filter((l) => l.includes(': error '));
    // f0 … f2966 nest more than 32 levels (f2967 exactly 32), and a's call to f0 3000.
    const tooDeep = errors.filter((l) => / error subflow-too-deep node `\w+`: calling subflow `f\d+` nests \d+ levels of subflows \(`f\d+` → `f\d+` → `f\d+` → …\), over the 32 a flow may nest: call fewer subflows from subflows$/.test(l));
    assert.equal(tooDeep.length, 2999 - MAX_SUBFLOW_DEPTH + 1);
    assert.deepEqual(errors.filter((l) => !tooDeep.includes(l)).map((l) => l.replace(/^.*\/(\w+\.yaml:\d+:\d+): error ([a-z-]+) .*$/, '$1 $2')), ['a.yaml:3:25 recursive-subflow', 'x.yaml:3:25 recursive-subflow']);
    assert.match(r.stdout, /\/f0\.yaml:3:25: error subflow-too-deep node `s`: calling subflow `f1` nests 2999 levels of subflows \(`f1` → `f2` → `f3` → …\)/);
    assert.match(r.stdout, /\/a\.yaml:4:28: error subflow-too-deep node `deep`: calling subflow `f0` nests 3000 levels/);
    assert.match(r.stdout, /\/f2966\.yaml:3:25: error subflow-too-deep node `s`: calling subflow `f2967` nests 33 levels/);
    assert.doesNotMatch(r.stdout, /\/(f2967|e)\.yaml/);
    assert.equal(lines.at(-1), `${errors.length} errors, 0 warnings in 3003 flows`);
  });
});
