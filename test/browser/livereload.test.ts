import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { makeSite, post, spawnCli, writeFiles, type RunningCli } from '../helpers/site.js';

describe('live reload in the browser (gi-build --serve)', () => {
  let browser: Browser;
  let cli: RunningCli;
  let root: string;
  let url: string;

  beforeAll(async () => {
    root = await makeSite({
      'gi-build.config.json': JSON.stringify({ basePath: '/blog/' }),
      'posts/2024-01-01-one.md': post({ title: 'First title', date: '2024-01-01' }, 'Body.'),
    });
    cli = spawnCli(['--serve', '--port', '0'], { cwd: root });
    [, url] = (await cli.waitFor(/Preview: (http:\/\/\S+)/)) as unknown as [string, string];
    await cli.waitFor(/Press Ctrl-C/);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  it('reloads after a save, shows a broken build over the page, and clears it when fixed', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}posts/one/`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('First title');
    await page.waitForLoadState('networkidle').catch(() => {});

    await cli.quiet();
    await writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'Second title', date: '2024-01-01' }, 'Body.') });
    await expect.poll(() => page.locator('article h1').textContent(), { timeout: 10_000 }).toBe('Second title');

    await cli.quiet();
    await writeFiles(root, { 'posts/2024-01-01-one.md': '---\ntitle: [oops\ndate: 2024-01-01\n---\n' });
    const overlay = page.locator('#gi-build-overlay');
    await expect.poll(() => overlay.textContent(), { timeout: 10_000 }).toMatch(/posts\/2024-01-01-one\.md:\d+:\d+ {2}error {2}invalid YAML/);
    expect(await overlay.getAttribute('role')).toBe('alert');

    await cli.quiet();
    await writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'Third title', date: '2024-01-01' }, 'Body.') });
    await expect.poll(() => page.locator('article h1').textContent(), { timeout: 10_000 }).toBe('Third title');
    expect(await overlay.count()).toBe(0);

    await cli.quiet();
    const before = await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await writeFiles(root, { 'templates/assets/style.css': 'h1 { color: rgb(200, 0, 0) }' });
    await expect.poll(() => page.locator('h1').evaluate((h) => getComputedStyle(h).color), { timeout: 10_000 }).toBe('rgb(200, 0, 0)');
    // The stylesheet was swapped in place: the page itself was not reloaded.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(before);
    expect(errors).toEqual([]);
  });
});
