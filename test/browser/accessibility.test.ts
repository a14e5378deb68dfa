import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { REPO, runCli } from '../helpers/site.js';
import { serveStatic } from '../helpers/server.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const PAGES = [
  ['home', ''],
  ['a post', 'posts/kitchen-table-care-plans/'],
  ['a post with a table and footnote', 'posts/measuring-what-matters/'],
  ['a tag', 'tags/international/'],
  ['a series', 'series/co-production-around-the-world/'],
  ['the archive', 'archive/'],
  ['the search page with results', 'search/?q=housing'],
  ['the 404 page', '404.html'],
] as const;

describe('accessibility and layout of the sample site (under /blog/)', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;

  beforeAll(async () => {
    const out = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-a11y-')), 'site');
    expect((await runCli(['--out', out, '--base-path', '/blog/'], { cwd: REPO })).code).toBe(0);
    server = await serveStatic(out, '/blog/');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Runs axe-core in the page; returns "rule: target" lines for every violation. */
  async function axe(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    return violations;
  }

  async function open(url: string, width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
    await page.goto(server.url + url);
    if (url.startsWith('search/')) await page.locator('.search-results li').first().waitFor({ timeout: 10_000 });
    return page;
  }

  for (const width of [1280, 375]) {
    for (const [name, url] of PAGES) {
      it(`${name} at ${width} px has no axe-core violations and no sideways scrolling`, async () => {
        const page = await open(url, width);
        expect(await axe(page)).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.close();
      });
    }
  }

  for (const [name, url] of PAGES.slice(0, 3)) {
    it(`${name} in dark mode has no axe-core violations`, async () => {
      const page = await open(url, 1280, 'dark');
      expect(await axe(page)).toEqual([]);
      await page.close();
    });
  }

  it('has no sideways scrolling at 320 px', async () => {
    for (const [, url] of PAGES) {
      const page = await open(url, 320);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, url).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  it('has a skip link that moves focus to the content, and visible focus', async () => {
    const page = await open('posts/kitchen-table-care-plans/', 1280);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, visible: el.getBoundingClientRect().top >= 0, outline: getComputedStyle(el).outlineStyle };
    });
    expect(skip).toEqual({ text: 'Skip to content', visible: true, outline: 'solid' });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('gi-main');
    await page.close();
  });
});
