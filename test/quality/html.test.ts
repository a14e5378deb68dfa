import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, snapshot } from '../helpers/site.js';

/** The repository's sample site, built once under a sub-path. */
let out: string;
let htmlFiles: string[];

beforeAll(async () => {
  out = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-quality-')), 'site');
  const built = await runCli(['--out', out, '--base-path', '/blog/'], { cwd: REPO });
  expect(built.code).toBe(0);
  htmlFiles = Object.keys(await snapshot(out)).filter((f) => f.endsWith('.html')).sort();
  expect(htmlFiles.length).toBeGreaterThan(30);
});

describe('the sample site', () => {
  it('passes html-validate (recommended rules) on every page', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    const problems: string[] = [];
    for (const file of htmlFiles) {
      const report = await validator.validateFile(path.join(out, file));
      for (const result of report.results) {
        for (const m of result.messages) problems.push(`${file}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('loads nothing from other hosts', async () => {
    const external: string[] = [];
    for (const file of htmlFiles) {
      const html = await fs.readFile(path.join(out, file), 'utf8');
      for (const m of html.matchAll(/<(script|link|img|iframe|source|video|audio)\b[^>]*\s(?:src|href)="((?:https?:)?\/\/[^"]+)"/g)) {
        // A canonical link names this site's own address; it loads nothing.
        if (!/rel="(canonical|alternate)"/.test(m[0])) external.push(`${file}: ${m[2]}`);
      }
    }
    expect(external).toEqual([]);
  });

  it('keeps its CSS under 20 KB and its only script to the search', async () => {
    const assets = await fs.readdir(path.join(out, 'assets'));
    let css = 0;
    for (const a of assets.filter((a) => a.endsWith('.css'))) css += (await fs.stat(path.join(out, 'assets', a))).size;
    expect(css).toBeGreaterThan(1000);
    expect(css).toBeLessThanOrEqual(20 * 1024);
    const post = await fs.readFile(path.join(out, 'posts/kitchen-table-care-plans/index.html'), 'utf8');
    expect([...post.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([
      '<script src="/blog/assets/search.js" data-assets="/blog/assets/" data-index="/blog/search/index.json" defer>',
    ]);
  });

  it('gives every image its width and height, and lazy-loads what is below the fold', async () => {
    const missing: string[] = [];
    for (const file of htmlFiles) {
      const html = await fs.readFile(path.join(out, file), 'utf8');
      for (const [tag] of html.matchAll(/<img\b[^>]*>/g)) {
        if (!/\swidth="\d+"/.test(tag) || !/\sheight="\d+"/.test(tag)) missing.push(`${file}: ${tag}`);
      }
    }
    expect(missing).toEqual([]);
    const post = await fs.readFile(path.join(out, 'posts/kitchen-table-care-plans/index.html'), 'utf8');
    expect(post).toMatch(/<figure class="lead-image">\s*<img src="\/blog\/posts\/kitchen-table-care-plans\/lead\.png" alt="[^"]+" width="800" height="450" decoding="async">/);
    const home = await fs.readFile(path.join(out, 'index.html'), 'utf8');
    const cards = [...home.matchAll(/<img class="post-card-image"[^>]*>/g)].map((m) => m[0]);
    expect(cards.length).toBeGreaterThan(1);
    expect(cards.slice(1).every((t) => t.includes('loading="lazy"'))).toBe(true);
  });

  it('puts width, height and lazy loading on images inside a post body', async () => {
    const { buildSite, makeSite, post, readOut } = await import('../helpers/site.js');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAYAAACddGYaAAAAEklEQVR42mNk+M9QzwAEjDAGACCDAv8cI7IoAAAAAElFTkSuQmCC', 'base64');
    const root = await makeSite({ 'posts/a/index.md': post({ title: 'A', date: '2024-01-01' }, '![three by two](pic.png)\n\n<img src="pic.png" alt="raw">'), 'posts/a/pic.png': png });
    expect((await buildSite(root)).messages).toEqual([]);
    const html = await readOut(root, 'posts/a/index.html');
    expect(html).toContain('<img width="3" height="2" loading="lazy" decoding="async" src="/posts/a/pic.png" alt="three by two">');
    expect(html).toContain('<img width="3" height="2" loading="lazy" decoding="async" src="/posts/a/pic.png" alt="raw">');
  });
});
