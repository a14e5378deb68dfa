import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type PreviewServer } from '../../src/watch/server.js';
import { launchBrowser } from '../helpers/browser.js';
import { buildSite, makeSite, post, writeFiles } from '../helpers/site.js';

const NS = 'xmlns="http://www.w3.org/2000/svg"';
const CLEAN_SVG = `<svg ${NS} width="20" height="20"><title>Chart</title><rect width="10" height="10" fill="#c00"/></svg>`;
// Each would set the document's title, were its script run.
const SCRIPT_SVG = `<svg ${NS} width="20" height="20"><title>Anim</title><script>document.title = 'ran'</script><rect width="10" height="10"/></svg>`;
const ONLOAD_SVG = `<svg ${NS} width="20" height="20" onload="document.title = 'ran'"><title>Badge</title><rect width="10" height="10"/></svg>`;

/** A plain server for one folder, sending SVGs as a static host would, without a Content-Security-Policy. */
async function serveWithoutPolicy(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const file = path.join(dir, new URL(req.url ?? '/', 'http://x').pathname);
    const body = await fs.readFile(file).catch(() => null);
    if (!body || !file.startsWith(dir)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'image/svg+xml', 'x-content-type-options': 'nosniff' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('SVGs opened on their own in the preview (gi-build --serve)', () => {
  let browser: Browser;
  let root: string;
  let preview: PreviewServer;
  let page: Page;
  let logged: string[] = [];

  beforeAll(async () => {
    root = await makeSite({
      'posts/lead/index.md': post({ title: 'Lead', date: '2024-03-01' }, 'A folder post.'),
      'posts/lead/chart.svg': CLEAN_SVG,
      'static/anim.svg': SCRIPT_SVG,
      'static/badge.svg': ONLOAD_SVG,
    });
    expect((await buildSite(root)).ok).toBe(true);
    preview = await startServer({ outDir: path.join(root, 'dist'), basePath: '/', host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    page = await browser.newPage();
    // Chromium asks for /favicon.ico on its own, and when it asks varies: not the page's doing.
    page.on('console', (m) => {
      if (!m.location().url.endsWith('/favicon.ico')) logged.push(m.text());
    });
    page.on('pageerror', (e) => logged.push(`pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
  });

  /** Opens a URL in the one page (a new page costs Chromium most of a second), recording what the console says and any uncaught error. */
  async function open(url: string): Promise<{ status: number | undefined; headers: Record<string, string>; logged: string[] }> {
    logged = [];
    const response = await page.goto(url);
    return { status: response?.status(), headers: response?.headers() ?? {}, logged };
  }

  it('shows a clean SVG of a folder post, which runs nothing', async () => {
    const { status, headers, logged } = await open(`${preview.url}posts/lead/chart.svg`);
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('image/svg+xml');
    expect(headers['content-security-policy']).toContain("script-src 'none'");
    expect(await page.title()).toBe('Chart');
    expect(logged).toEqual([]);
  });

  it.each([
    ['a <script> element', 'anim.svg', 'Anim'],
    ['an onload attribute', 'badge.svg', 'Badge'],
  ])('runs none of %s in a static/ SVG: the policy blocks what a plain server runs', async (_, file, title) => {
    // The control: the same built file, sent without the policy, runs its script.
    const plain = await serveWithoutPolicy(path.join(root, 'dist'));
    try {
      await open(`${plain.url}${file}`);
      await expect.poll(() => page.title()).toBe('ran');
    } finally {
      await plain.close();
    }

    const { status, logged } = await open(`${preview.url}${file}`);
    expect(status).toBe(200);
    await page.waitForLoadState('load');
    expect(await page.title()).toBe(title);
    // Chromium says why: its wording changes between versions, the directive it names does not.
    expect(logged).toEqual([expect.stringMatching(/inline (script|event handler) .*Content Security Policy directive.*script-src 'none'/)]);
  });

  it('has no SVG there that a failed build refused', async () => {
    await writeFiles(root, { 'posts/lead/evil.svg': ONLOAD_SVG });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(result.messages.map((m) => [m.file, m.rule])).toEqual([['posts/lead/evil.svg', 'content/active-file']]);
    const { status } = await open(`${preview.url}posts/lead/evil.svg`);
    expect(status).toBe(404);
    expect(await page.title()).not.toBe('ran');
    // The clean SVG beside it is still served.
    expect((await open(`${preview.url}posts/lead/chart.svg`)).status).toBe(200);
  });
});
