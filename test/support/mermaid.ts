/** Real Mermaid in Chromium, for the tests that check `ivr graph` output renders. */
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

const MERMAID_JS = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

/** A blank page with mermaid.min.js loaded and initialised. */
export async function mermaidPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.setContent('<html><body></body></html>');
  await page.addScriptTag({ path: MERMAID_JS });
  await page.evaluate(() => (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false }));
  return page;
}

/** Mermaid itself, in Chromium, parses and renders the text to SVG; its error message otherwise. */
export async function renderInMermaid(page: Page, text: string): Promise<{ ok: boolean; svg?: string; error?: string }> {
  return page.evaluate(async (source) => {
    const m = (globalThis as unknown as { mermaid: { render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
    try {
      const { svg } = await m.render(`g${Math.random().toString(36).slice(2)}`, source);
      return { ok: true, svg };
    } catch (e) {
      return { ok: false, error: String((e as Error).message ?? e) };
    }
  }, text);
}
