import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { REPO, runCli } from '../helpers/site.js';
import { serveStatic } from '../helpers/server.js';

describe('search in the browser (sample site under /blog/)', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let origin: string;

  beforeAll(async () => {
    const out = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-browser-')), 'site');
    const built = await runCli(['--out', out, '--base-path', '/blog/'], { cwd: REPO });
    expect(built.code).toBe(0);
    server = await serveStatic(out, '/blog/');
    origin = new URL(server.url).origin;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A new page that records every request and every uncaught error. */
  async function open(url: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    return { page, requests, errors };
  }

  it('does not load the index on an ordinary page view', async () => {
    const { page, requests, errors } = await open(`${server.url}posts/measuring-what-matters/`);
    await page.waitForLoadState('networkidle');
    expect(requests.some((u) => u.includes('index.json') || u.includes('lunr'))).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads the index on the first focus of the header search box', async () => {
    const { page, requests } = await open(server.url);
    const indexLoaded = page.waitForResponse((r) => r.url().endsWith('/blog/search/index.json'));
    await page.focus('#gi-site-search');
    expect((await indexLoaded).status()).toBe(200);
    await page.close();
    expect(requests.filter((u) => u.endsWith('/blog/assets/lunr.min.js'))).toHaveLength(1);
  });

  it('finds the right post from the header box, and makes no request to another host', async () => {
    const { page, requests, errors } = await open(server.url);
    await page.fill('#gi-site-search', 'kitchen table');
    await page.press('#gi-site-search', 'Enter');
    await page.waitForURL(/\/blog\/search\/\?q=kitchen\+table/);
    const first = page.locator('.search-results li a').first();
    await expect.poll(() => first.textContent()).toContain('Kitchen-table care plans');
    expect(await first.getAttribute('href')).toBe('/blog/posts/kitchen-table-care-plans/');
    expect(await page.locator('.search-results li time').first().textContent()).toBe('14 March 2023');
    expect(await page.locator('#gi-search-status').textContent()).toMatch(/^\d+ results? for “kitchen table”$/);
    expect(await page.locator('.search-results mark').count()).toBeGreaterThan(0);
    expect(requests.every((u) => u.startsWith(origin))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('updates results and the URL as the visitor types, and tolerates a typo', async () => {
    const { page, errors } = await open(`${server.url}search/`);
    await page.locator('#gi-search-q').pressSequentially('tennants', { delay: 20 });
    await page.waitForURL(/q=tennants/);
    await expect.poll(() => page.locator('.search-results li a').allTextContents()).toContain('Tenants at the drawing board: co-designing new homes in Canada');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so helpfully when nothing matches', async () => {
    const { page } = await open(`${server.url}search/?q=xylophonequartet`);
    await expect.poll(() => page.locator('#gi-search-status').textContent()).toContain('No results for “xylophonequartet”');
    await page.close();
  });

  it('never raises a page error on lunr query syntax', async () => {
    const { page, errors } = await open(`${server.url}search/`);
    for (const q of ['title:', '~', 'foo:', '+', '-', '^', '*', '"unclosed', 'care~2', '+care -housing', 'title:care', 'ca*re', '::', 'a"b']) {
      await page.fill('#gi-search-q', q);
      await page.press('#gi-search-q', 'Enter');
      await expect.poll(() => page.locator('#gi-search-status').textContent()).toMatch(/result|No results|Type/);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an HTML-injection query as text and runs nothing', async () => {
    const attack = '<img src=x onerror="window.__pwned=1">';
    const { page, errors, requests } = await open(`${server.url}search/?q=${encodeURIComponent(attack)}`);
    await expect.poll(() => page.locator('#gi-search-status').textContent()).toContain(attack);
    expect(await page.locator('#gi-search-status img, #gi-search-results img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(requests.some((u) => u.endsWith('/x'))).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers a shared link with a 20,000-letter query, and stays responsive', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A page that hangs fails here instead of waiting for the test's own timeout.
    page.setDefaultTimeout(5000);
    // The test server, like many hosts, refuses so long a URL: the page is served as from its short one.
    await page.route(
      (url) => url.searchParams.has('q'),
      async (route) => route.fulfill({ response: await route.fetch({ url: `${server.url}search/` }) }),
    );
    await page.goto(`${server.url}search/?q=${'a'.repeat(20_000)}`);
    const status = page.locator('#gi-search-status');
    await status.getByText(/^No results for “a+…”/).waitFor();
    expect((await status.textContent())!.length).toBeLessThan(300);

    await page.fill('#gi-search-q', 'kitchen table');
    await page.press('#gi-search-q', 'Enter');
    await status.getByText(/results? for “kitchen table”$/).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is usable by keyboard, with visible focus', async () => {
    const { page } = await open(`${server.url}search/?q=housing`);
    await expect.poll(() => page.locator('.search-results li a').count()).toBeGreaterThan(0);
    await page.focus('#gi-search-q');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { inResults: !!el.closest('.search-results'), tag: el.tagName, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused).toEqual({ inResults: true, tag: 'A', outline: 'solid' });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/blog\/posts\//);
    await page.close();
  });
});

describe('search in the browser (site at the domain root)', () => {
  it('finds a post and links to it without a base path', async () => {
    const out = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-browser-root-')), 'site');
    expect((await runCli(['--out', out], { cwd: REPO })).code).toBe(0);
    const server = await serveStatic(out, '/');
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.fill('#gi-site-search', 'volunteers Kenya');
      await page.press('#gi-site-search', 'Enter');
      await page.waitForURL(/\/search\/\?q=volunteers\+Kenya/);
      const first = page.locator('.search-results li a').first();
      await first.waitFor({ timeout: 5000 });
      expect(await first.getAttribute('href')).toBe('/posts/community-health-volunteers-kisumu/');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
