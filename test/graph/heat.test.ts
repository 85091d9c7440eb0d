import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { drawFlows } from '../../src/cli/graph.js';
import { report } from '../../src/cli/report.js';
import { browserMissing, launchBrowser } from '../support/chromium.js';
import { mermaidPage, renderInMermaid } from '../support/mermaid.js';
import { GOLDEN_FLOWS, goldenRecords } from '../report/golden.js';

/** The golden flow drawn with the golden records' heat. */
async function heatOfGolden(format: 'mermaid' | 'dot'): Promise<string> {
  const golden = await goldenRecords();
  try {
    const heat = new Map((await report([golden.file])).flows.map((f) => [f.id, f]));
    const { drawn, diagnostics } = await drawFlows([`${GOLDEN_FLOWS}/desk.yaml`], format, undefined, heat);
    assert.deepEqual(diagnostics, []);
    return drawn[0]!.text;
  } finally {
    golden.cleanup();
  }
}

describe('ivr graph --heat', () => {
  test('Mermaid: each option edge carries its key\'s matches, nodes their entries and drop-off, filled by it', async () => {
    const text = await heatOfGolden('mermaid');
    assert.match(text, /n_main_\d+\["main<br\/>menu: menu<br\/>entries 10 · hangups 1 \(10%\)"\]/);
    assert.match(text, /style n_main_\d+ fill:#fdeded/);
    assert.match(text, /n_greet_\d+ -->\|"next · 10"\| n_main_/);
    assert.match(text, /n_main_\d+ -->\|"1 · 5"\| n_pin_/);
    assert.match(text, /n_main_\d+ -.->\|"0 \(global\) · 1"\| n_operator_/);
    // Back from the subflow: three PINs accepted, one refused (ended inside), one hang-up.
    assert.match(text, /n_pin_\d+ -->\|"after check-pin · 3"\| n_lookup_/);
    assert.match(text, /n_goodbye_\d+ -->\|"completed · 3"\| call_ends/);
  });

  test('DOT: the same figures, line width by traffic', async () => {
    const text = await heatOfGolden('dot');
    assert.match(text, /"main" \[label="main\\nmenu: menu\\nentries 10 · hangups 1 \(10%\)", style=filled, fillcolor="#fdeded"\];/);
    assert.match(text, /"greet" -> "main" \[label="next · 10", penwidth=8.0\];/);
    assert.match(text, /"lookup" -> "sorry" \[label="error · 1", penwidth=1.7, style=dotted\];/);
  });
});

describe('ivr graph --heat output is valid Mermaid', { skip: browserMissing() }, () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launchBrowser();
    page = await mermaidPage(browser);
  });
  after(async () => browser?.close());

  test('Mermaid renders the heat graph with its counts', async () => {
    const text = await heatOfGolden('mermaid');
    const result = await renderInMermaid(page, text);
    assert.equal(result.error, undefined);
    assert.ok(result.svg!.includes('entries 10 · hangups 1 (10%)'));
    assert.ok(result.svg!.includes('1 · 5'));
  });
});
