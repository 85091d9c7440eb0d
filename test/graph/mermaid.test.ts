import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import type { Browser, Page } from 'playwright-core';
import type { FlowDoc } from '../../src/flow/types.js';
import { buildFlowGraph } from '../../src/graph/flow-graph.js';
import { renderMermaid } from '../../src/graph/render-mermaid.js';
import { browserMissing, launchBrowser } from '../support/chromium.js';
import { mermaidPage, renderInMermaid } from '../support/mermaid.js';
import { writeFixture } from '../support/e2e-harness.js';
import { goldenHeat } from '../report/golden.js';
import { runCli } from '../support/run-cli.js';

/** `ivr graph`, in this process; fails (as the child process's exit code did) unless it exits 0. */
async function graph(args: string[]): Promise<{ stdout: string }> {
  const run = await runCli(['graph', ...args]);
  if (run.status !== 0) throw new Error(`ivr graph ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run;
}

const shipped = readdirSync('flows').filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));
const skip = browserMissing();

describe('ivr graph output is valid Mermaid', { skip }, () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launchBrowser();
    page = await mermaidPage(browser);
  });
  after(async () => browser?.close());

  test('Mermaid rejects broken text (the check can fail)', async () => {
    const result = await renderInMermaid(page, 'flowchart TD\n  a["x" --> ]] b');
    assert.equal(result.ok, false);
  });

  for (const file of shipped) {
    test(`${file} renders, with every node and key label in the SVG`, async () => {
      const doc = parse(readFileSync(`flows/${file}`, 'utf8')) as FlowDoc;
      const graph = buildFlowGraph(doc, file.replace(/\.yaml$/, ''));
      const result = await renderInMermaid(page, renderMermaid(graph));
      assert.equal(result.error, undefined);
      assert.ok(result.ok);
      for (const node of graph.nodes) assert.ok(result.svg!.includes(node.id), `node ${node.id} drawn`);
      assert.ok(graph.edges.length > 0);
    });
  }

  // What users get: `ivr graph` run as a command, with and without --coverage.
  for (const file of shipped) {
    for (const coverage of [[], ['--coverage']]) {
      test(`ivr graph flows/${file} ${coverage.join(' ')}prints Mermaid that renders`, async () => {
        const { stdout } = await graph([`flows/${file}`, ...coverage]);
        assert.match(stdout, /^flowchart TD\n/);
        const result = await renderInMermaid(page, stdout);
        assert.equal(result.error, undefined);
        assert.ok(result.ok);
      });
    }
  }

  test('ivr graph --coverage marks unreached options and nodes, and Mermaid still renders it', async () => {
    const fixture = await writeFixture({
      'tiny.yaml': 'ivr: 1\nid: tiny\nstart: menu\nnodes:\n  menu:\n    menu:\n      prompt: menu_p\n      options: { "1": one, "2": two }\n  one:\n    end: {}\n  two:\n    end: {}\n',
      'tiny.test.yaml': 'flow: tiny\ncases:\n  - name: one\n    steps:\n      - played\n      - press: "1"\n      - expect: { node: one }\n',
    }, { menu_p: 200 });
    try {
      const { stdout } = await graph([join(fixture.dir, 'tiny.yaml'), '--coverage']);
      assert.match(stdout, /class n_two_\d+ uncovered/);
      assert.match(stdout, /linkStyle \d+ stroke:#d33/);
      const result = await renderInMermaid(page, stdout);
      assert.equal(result.error, undefined);
      assert.ok(result.ok);
    } finally {
      await fixture.cleanup();
    }
  });

  test('ivr graph --heat: the golden flow with its traffic renders, counts in the SVG', async () => {
    const result = await renderInMermaid(page, await goldenHeat('mermaid'));
    assert.equal(result.error, undefined);
    assert.ok(result.svg!.includes('entries 10 · hangups 1 (10%)'));
    assert.ok(result.svg!.includes('1 · 5'));
  });

  test('labels with #, quotes and angle brackets survive', async () => {
    const doc: FlowDoc = {
      ivr: 1,
      nodes: {
        m: { menu: { prompt: 'p', options: { '#': 'a', '*9': 'a' }, match: [{ pattern: '^2[0-9]{3}$', goto: 'a' }] } },
        a: { branch: [{ if: 'x < 3 && y > "q"', goto: 'm' }, { goto: 'm' }] },
      },
    };
    const result = await renderInMermaid(page, renderMermaid(buildFlowGraph(doc, 't'), new Set(['option:m:#', 'node:a'])));
    assert.equal(result.error, undefined);
    assert.ok(result.svg!.includes('^2[0-9]{3}$'));
  });
});
