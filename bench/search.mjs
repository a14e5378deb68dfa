// Search benchmark: index size (raw, gzip) and time to first result, for the sample site and a
// generated corpus. Time to first result = a cold load of search/?q=… in headless Chromium until
// the result count is announced (lunr, the pipeline script and the index all fetched and loaded).
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from '../lib/build/index.js';
import { loadConfig } from '../lib/config/resolve.js';
import { writeCorpus } from './corpus.mjs';
import { retire } from './trash.mjs';

const REPO = fileURLToPath(new URL('../', import.meta.url));

function serve(dir) {
  const server = http.createServer(async (req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    try {
      const body = await fs.readFile(path.join(dir, p));
      const type = p.endsWith('.html') ? 'text/html; charset=utf-8' : p.endsWith('.js') ? 'text/javascript' : p.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function buildInto(root, out) {
  const config = await loadConfig({ root, out }, root);
  const result = await build(config);
  if (!result.ok) throw new Error(`build of ${root} failed: ${JSON.stringify(result.messages.slice(0, 3))}`);
  return result.stats;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeToFirstResult(browser, baseUrl, query, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}search/?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => /result/.test(document.getElementById('gi-search-status')?.textContent ?? ''), null, { timeout: 60_000 });
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  return median(times);
}

/** The browser the search benchmark drives: Debian's Chromium, unless CHROMIUM_PATH names another. */
export const BROWSER = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Runs the search benchmark; returns rows for RESULTS.md. */
export async function benchSearch({ posts = 1000, runs = 5 } = {}) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-bench-search-'));
  const sites = [
    { name: 'sample site (this repo)', root: REPO, query: 'kitchen table' },
    { name: `${posts} generated posts of ~800 words`, root: path.join(tmp, 'corpus'), query: 'community housing', corpus: posts },
  ];
  const browser = await chromium.launch({ executablePath: BROWSER, args: ['--no-sandbox'] });
  const rows = [];
  try {
    for (const site of sites) {
      if (site.corpus) await writeCorpus(site.root, site.corpus);
      const out = path.join(tmp, `out-${rows.length}`);
      const stats = await buildInto(site.root, out);
      const server = await serve(out);
      const url = `http://127.0.0.1:${server.address().port}/`;
      const ms = await timeToFirstResult(browser, url, site.query, runs);
      server.close();
      rows.push({ site: site.name, docs: stats.posts, raw: stats.searchIndexBytes, gzip: stats.searchIndexGzipBytes, firstResultMs: ms });
      console.log(`search: ${site.name}: index ${(stats.searchIndexBytes / 1024).toFixed(0)} KB raw, ${(stats.searchIndexGzipBytes / 1024).toFixed(0)} KB gzip; first result in ${ms.toFixed(0)} ms`);
    }
  } finally {
    await browser.close();
    await retire(tmp);
  }
  return rows;
}

/** The RESULTS.md section for these rows. */
export function searchSection(rows) {
  const lines = [
    '## Search index',
    '',
    'Index size as written to `search/index.json`; time to first result is a cold load of `search/?q=…` in headless Chromium from a server on 127.0.0.1 (no network latency), until the result count is announced: lunr, the pipeline script and the index fetched, `lunr.Index.load`, the query. Median of 5 runs.',
    '',
    '| site | posts | index raw | index gzip | time to first result |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.site} | ${r.docs} | ${(r.raw / 1024).toFixed(0)} KB | ${(r.gzip / 1024).toFixed(0)} KB | ${r.firstResultMs.toFixed(0)} ms |`),
  ];
  return lines.join('\n');
}
