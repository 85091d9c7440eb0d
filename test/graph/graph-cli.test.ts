/**
 * `ivr graph`: graph keys and `ivr test --coverage` item ids agree, so `--coverage` marks exactly
 * what the flow tests never reached. The CLI runs in this process (test/support/run-cli.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { buildFlowGraph, nodeKey } from '../../src/graph/flow-graph.js';
import { runTests } from '../../src/testing/run-tests.js';
import { writeFixture, type Fixture } from '../support/e2e-harness.js';
import { runCli } from '../support/run-cli.js';

async function ivrGraph(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { status, stdout, stderr } = await runCli(['graph', ...args]);
  return { code: status, out: stdout, err: stderr };
}

const FLOW = `ivr: 1
id: tiny
start: menu
nodes:
  menu:
    menu:
      prompt: menu_p
      options:
        "1": one
        "2": two
      noInput: { then: bye }
  one:
    end: { prompt: one_p }
  two:
    end: { prompt: two_p }
  bye:
    end: {}
`;

const TESTS = `flow: tiny
cases:
  - name: one
    steps:
      - expect: { play: [menu_p] }
      - played
      - press: "1"
      - expect: { node: one }
`;

describe('ivr graph --coverage', () => {
  test('every coverage item of the shipped flows is a node or edge of its graph (the flow-level onError aside)', async () => {
    const result = await runTests(['flows'], { coverage: true });
    const set = await loadFlows(['flows']);
    assert.ok((result.coverage ?? []).length >= 5);
    for (const coverage of result.coverage ?? []) {
      const flow = set.flows.get(coverage.flow)!;
      const graph = buildFlowGraph(flow.doc, flow.id);
      const keys = new Set([...graph.nodes.map((n) => nodeKey(n.id)), ...graph.edges.map((e) => e.key)]);
      const missing = coverage.items.filter((i) => i.id !== 'onError:' && !keys.has(i.id)).map((i) => i.id);
      assert.deepEqual(missing, [], `${coverage.flow}: coverage items with no graph key`);
    }
  });

  describe('on a flow whose test reaches only option 1', () => {
    let dir: string;
    let fixture: Fixture;
    before(async () => {
      fixture = await writeFixture({ 'tiny.yaml': FLOW, 'tiny.test.yaml': TESTS }, { menu_p: 300, one_p: 100, two_p: 100 });
      dir = fixture.dir;
    });
    after(() => fixture.cleanup());

    test('DOT: option 2, its node and the noInput handler are dashed red; option 1 and its node are not', async () => {
      const { code, out, err } = await ivrGraph(join(dir, 'tiny.yaml'), '--format', 'dot', '--coverage');
      assert.equal(code, 0, err);
      assert.match(out, /"menu" -> "two" \[label="2", color=red, style=dashed\];/);
      assert.match(out, /"menu" -> "bye" \[label="no input", color=red, style=dashed\];/);
      assert.match(out, /"two" \[label="two\\nend: two_p", color=red, style=dashed\];/);
      assert.match(out, /"menu" -> "one" \[label="1"\];/);
      assert.match(out, /"one" \[label="one\\nend: one_p"\];/);
    });

    test('without --coverage nothing is marked', async () => {
      const { code, out } = await ivrGraph(join(dir, 'tiny.yaml'), '--format', 'dot');
      assert.equal(code, 0);
      assert.doesNotMatch(out, /red/);
      assert.match(out, /^digraph "tiny" \{/);
    });
  });

  test('a bad --format is a usage error (exit 2); a flow with errors exits 1 with its diagnostics', async () => {
    assert.equal((await ivrGraph('flows/support.yaml', '--format', 'svg')).code, 2);
    const dir = await mkdtemp(join(tmpdir(), 'ivr-graph-bad-'));
    try {
      await writeFile(join(dir, 'bad.yaml'), 'ivr: 1\nstart: a\nnodes:\n  a:\n    play: { silence: 1s }\n    next: nowhere\n');
      const { code, err, out } = await ivrGraph(join(dir, 'bad.yaml'));
      assert.equal(code, 1);
      assert.equal(out, '');
      assert.match(err, /bad\.yaml:6:\d+: error /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
