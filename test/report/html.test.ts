import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { report } from '../../src/cli/report.js';
import type { CallRecord } from '../../src/ops/call-records.js';
import { renderReportHtml } from '../../src/report/render-html.js';
import { browserMissing, launchBrowser } from '../support/chromium.js';
import { manyRecords, recordTestCalls, writeRecords } from '../support/call-records.js';
import { GOLDEN_FLOWS, goldenRecords } from './golden.js';

const skip = browserMissing();

interface Opened {
  page: Page;
  /** Console errors and warnings, page errors, and every request other than the page itself. */
  problems: string[];
}

/** Opens the report as a user would: the HTML file from disk, in Chromium. */
async function open(browser: Browser, html: string): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-report-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== `file://${file}`) problems.push(`request: ${r.url()}`);
  });
  await page.goto(`file://${file}`);
  page.once('close', () => rmSync(dir, { recursive: true, force: true }));
  return { page, problems };
}

const text = (page: Page, selector: string): Promise<string> => page.locator(selector).first().innerText();

/** Pixels of an element's screenshot, counted by what they look like (decoded by the browser itself). */
async function pixels(browser: Browser, png: Buffer): Promise<{ total: number; red: number; blue: number; dark: number }> {
  const page = await browser.newPage();
  try {
    await page.setContent('<canvas></canvas>');
    return await page.evaluate(async (b64) => {
      const doc = (globalThis as unknown as { document: { createElement(t: string): { src: string; width: number; height: number; decode(): Promise<void> }; querySelector(s: string): unknown } }).document;
      const img = doc.createElement('img');
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = doc.querySelector('canvas') as { width: number; height: number; getContext(k: '2d'): { drawImage(i: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      let red = 0;
      let blue = 0;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
        if (r > 230 && r - g > 25 && Math.abs(g - b) < 12) red++;
        if (b - r > 50 && b > 120) blue++;
        if (r + g + b < 200) dark++;
      }
      return { total: data.length / 4, red, blue, dark };
    }, png.toString('base64'));
  } finally {
    await page.close();
  }
}

describe('the HTML report in Chromium', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  test('the golden report renders with its known numbers, fetches nothing and logs no error', async () => {
    const golden = await goldenRecords();
    try {
      const { page, problems } = await open(browser, renderReportHtml(await report([golden.file])));
      assert.equal(await text(page, '[data-figure="records"] b'), '10');
      assert.equal(await text(page, '[data-figure="skipped"] b'), '0');
      assert.equal(await text(page, 'table.summary td[data-figure="containment"]'), '0.5 (50%)');
      assert.equal(await text(page, 'table.nodes tr[data-node="main"] td[data-figure="hangups"]'), '1');
      assert.equal(await text(page, 'table.nodes tr[data-node="main"] td[data-figure="dropOff"]'), '10%');
      assert.equal(await text(page, 'table.nodes tr[data-node="check-pin/ask"] td[data-figure="exits"]'), 'check-pin/ok 3, check-pin/refused 1');
      assert.equal(await text(page, 'table.inputs tr[data-node="main"] td[data-figure="failed"]'), '1');
      assert.equal(await text(page, 'table.inputs tr[data-node="check-pin/ask"] td[data-figure="matches"]'), '*** 3');
      assert.equal(await text(page, 'table.fetches td[data-figure="p95Ms"]'), '3000');
      // The graph: one box per node, one line per transition, labelled with the figures.
      assert.equal(await page.locator('svg.graph g.node').count(), 12);
      assert.equal(await page.locator('svg.graph g.edge').count(), 12);
      assert.match(await page.locator('svg.graph g.node[data-node="main"]').textContent() ?? '', /entries 10 · calls 10.*hangups 1 \(10%\) · failed 1 \(10%\)/);
      assert.equal(await page.locator('svg.graph g.edge[data-from="main"][data-to="pin"] text').textContent(), '5');
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      golden.cleanup();
    }
  });

  test('screenshot: the graph (red drop-off, blue traffic) and the tables are drawn on screen', async () => {
    const golden = await goldenRecords();
    try {
      const { page } = await open(browser, renderReportHtml(await report([golden.file])));
      const graph = page.locator('svg.graph').first();
      const box = await graph.boundingBox();
      assert.ok(box && box.width > 300 && box.height > 300, `graph box ${JSON.stringify(box)}`);
      const shot = await pixels(browser, await graph.screenshot());
      assert.ok(shot.red > 200, `red (drop-off) pixels in the graph: ${shot.red}`);
      assert.ok(shot.blue > 200, `blue (traffic) pixels in the graph: ${shot.blue}`);
      assert.ok(shot.dark > 500, `text pixels in the graph: ${shot.dark}`);
      for (const table of ['table.summary', 'table.nodes', 'table.inputs', 'table.fetches']) {
        const t = await pixels(browser, await page.locator(table).first().screenshot());
        assert.ok(t.dark > 300, `${table} shows text: ${t.dark} dark pixels`);
      }
      // A page that is blank where the graph should be fails the same check.
      const blank = await browser.newPage();
      await blank.setContent('<div style="width:400px;height:400px;background:#fcfcfc"></div>');
      assert.ok((await pixels(browser, await blank.locator('div').screenshot())).dark === 0);
      await blank.close();
      await page.close();
    } finally {
      golden.cleanup();
    }
  });

  test('names from the records file are shown, never run (nodes, end reasons, keys, URLs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-report-hostile-'));
    try {
      const file = join(dir, 'hostile.jsonl');
      const record = {
        callId: 'x', flow: '<b>flow</b>', version: '"><script>window.pwned=1</script>', startedAt: '2026-12-01T00:00:00Z', durationMs: 5, endReason: '</style><script>window.pwned=2</script>',
        nodes: ['<img src=x onerror="window.pwned=3">', "'><svg onload=window.pwned=4>"],
        inputs: [{ node: '<img src=x onerror="window.pwned=3">', value: '<iframe src="http://127.0.0.1:1/">', sensitive: false, outcome: 'match', at: 1 }],
        fetches: [{ method: 'GET', url: 'http://evil.test/<script>window.pwned=5</script>', outcome: 'ok', ms: 3 }],
      };
      writeFileSync(file, `${JSON.stringify(record)}\n`);
      const { page, problems } = await open(browser, renderReportHtml(await report([file])));
      assert.equal(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned), undefined);
      assert.equal(await page.locator('script, iframe, img, body > svg').count(), 0);
      assert.deepEqual(await page.locator('table.nodes tbody th').allInnerTexts(), ["'><svg onload=window.pwned=4>", '<img src=x onerror="window.pwned=3">']);
      assert.match(await page.locator('table.summary').innerText(), /<\/style><script>window.pwned=2<\/script>/);
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--by version: two versions side by side, the cells that changed highlighted (better in green)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-report-versions-'));
    try {
      // Version two: the same flow with another description, so another version; its callers no longer hang up.
      cpSync(GOLDEN_FLOWS, dir, { recursive: true });
      const yaml = join(dir, 'desk.yaml');
      writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('description: Golden flow', 'description: Golden flow, second version'));
      const first = await recordTestCalls([GOLDEN_FLOWS]);
      const second = (await recordTestCalls([dir])).filter((r) => r.endReason !== 'hangup');
      assert.notEqual(first[0]!.version, second[0]!.version);
      const file = join(dir, 'calls.jsonl');
      const all: CallRecord[] = [...manyRecords(first, first.length, Date.UTC(2026, 11, 1)), ...manyRecords(second, second.length, Date.UTC(2026, 11, 8))];
      await writeRecords(file, all);
      const data = await report([file], { by: 'version' });
      assert.deepEqual(data.flows.map((f) => [f.version, f.calls]), [[first[0]!.version, 10], [second[0]!.version, 8]]);

      const { page, problems } = await open(browser, renderReportHtml(data));
      const columns = page.locator('section.flow[data-flow="desk"] .column');
      assert.equal(await columns.count(), 2);
      assert.equal(await columns.nth(0).getAttribute('data-group'), first[0]!.version);
      assert.equal(await columns.nth(0).locator('td.changed').count(), 0);
      const hangups = columns.nth(1).locator('table.nodes tr[data-node="main"] td[data-figure="hangups"]');
      assert.equal(await hangups.getAttribute('class'), 'changed better');
      assert.equal(await hangups.innerText(), '0 (-1)');
      assert.equal(await columns.nth(1).locator('table.summary td[data-figure="containment"]').getAttribute('class'), 'changed better');
      assert.equal(await columns.nth(1).locator('svg.graph g.node.changed[data-node="main"]').count(), 1);
      const box0 = await columns.nth(0).boundingBox();
      const box1 = await columns.nth(1).boundingBox();
      assert.ok(box0 && box1 && box1.x > box0.x + box0.width - 1 && Math.abs(box1.y - box0.y) < 2, 'the columns are side by side');
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the shipped flows\' test records: every flow drawn with its nodes, tables beside, no console errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-report-shipped-'));
    try {
      const file = join(dir, 'calls.jsonl');
      await writeRecords(file, await recordTestCalls(['flows/']));
      const data = await report([file]);
      const { page, problems } = await open(browser, renderReportHtml(data));
      assert.ok(data.flows.length >= 4);
      for (const f of data.flows) {
        const section = page.locator(`section.flow[data-flow="${f.id}"]`);
        assert.equal(await section.locator('svg.graph g.node').count(), Object.keys(f.nodes).length, `${f.id}: a box per node`);
        assert.equal(await section.locator('table.nodes tbody tr').count(), Object.keys(f.nodes).length);
        assert.equal(await section.locator('table.summary td[data-figure="calls"]').innerText(), String(f.calls));
        const graph = await pixels(browser, await section.locator('svg.graph').screenshot());
        assert.ok(graph.dark > 300 && graph.blue > 50, `${f.id}: the graph is drawn (${JSON.stringify(graph)})`);
        const tables = await pixels(browser, await section.locator('table.nodes').screenshot());
        assert.ok(tables.dark > 300, `${f.id}: the node table is drawn`);
      }
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
