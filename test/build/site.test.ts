import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite, exists, makeSite, post, readOut } from '../helpers/site.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const SITE = {
  'gi-build.config.json': JSON.stringify({
    title: 'Test Network',
    description: 'A test site.',
    baseUrl: 'https://example.org',
    timeZone: 'Europe/London',
    copyright: { holder: 'Test Network', since: 2012 },
    footerLinks: [{ text: 'Privacy statement', url: '/privacy/' }],
    postsPerPage: 2,
  }),
  'posts/2023-01-10-first-part.md': post(
    { title: 'First part', date: '2023-01-10', author: 'Anna Schäfer', authorRole: 'Director, Joint Team', guest: true, series: 'Around the World', tags: ['health', 'care'] },
    'The first part of the series.\n\nSee [the second part](2023-02-10-second-part/index.md) and [its heading](2023-02-10-second-part/index.md#a-heading), or [its folder](2023-02-10-second-part/).',
  ),
  'posts/2023-02-10-second-part/index.md': post(
    { title: 'Second part', date: '2023-02-10', author: ['Ben Ode', 'Cleo Park'], series: 'Around the World', tags: 'health, housing', image: 'photo.png', imageAlt: 'A tiny photo', imageCaption: 'Caption text', imageCredit: '© Jane Doe' },
    '## A heading\n\n![inline](photo.png)\n\nBody of part two.',
  ),
  'posts/2023-02-10-second-part/photo.png': PNG,
  'posts/2024-05-01-news.md': post({ title: 'Network news', date: '2024-05-01T09:30:00+01:00', tags: ['Health'] }, 'News with [the privacy page](../pages/privacy.md).'),
  'posts/2024-06-01-secret.md': post({ title: 'Secret draft', date: '2024-06-01', draft: true, tags: ['secret-tag'] }, 'Unpublished words.'),
  'posts/2030-01-01-later.md': post({ title: 'From the future', date: '2030-01-01', tags: ['future-tag'] }, 'Not yet.'),
  'pages/privacy.md': post({ title: 'Privacy statement' }, 'We collect nothing.'),
  'static/files/report.txt': 'a report',
};

describe('a complete site', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeSite(SITE);
    const result = await buildSite(root);
    expect(result.messages).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('writes every kind of page', async () => {
    for (const file of [
      'index.html', 'page/2/index.html', 'posts/first-part/index.html', 'posts/second-part/index.html', 'posts/news/index.html',
      'tags/index.html', 'tags/health/index.html', 'tags/care/index.html', 'tags/housing/index.html', 'series/around-the-world/index.html',
      'authors/anna-schaefer/index.html', 'authors/ben-ode/index.html', 'archive/index.html', 'privacy/index.html', 'search/index.html',
      '404.html', 'robots.txt', 'sitemap.xml', 'feed.xml', 'rss.xml', 'feed.json', 'assets/style.css', 'files/report.txt',
      'posts/second-part/photo.png',
    ]) {
      expect(await exists(path.join(root, 'dist', file)), file).toBe(true);
    }
  });

  it('lists posts newest first, paginated', async () => {
    const home = await readOut(root, 'index.html');
    expect(home.indexOf('Network news')).toBeLessThan(home.indexOf('Second part'));
    expect(home).not.toContain('First part</a>');
    expect(home).toContain('href="/page/2/"');
    expect(await readOut(root, 'page/2/index.html')).toContain('First part');
  });

  it('shows a post with its metadata, series, tags, image and neighbours', async () => {
    const html = await readOut(root, 'posts/second-part/index.html');
    expect(html).toContain('<time datetime="2023-02-10">10 February 2023</time>');
    expect(html).toContain('Part 2 of 2 in <a href="/series/around-the-world/">Around the World</a>');
    expect(html).toContain('href="/posts/first-part/"');
    expect(html).toContain('<a href="/authors/ben-ode/">Ben Ode</a> and <a href="/authors/cleo-park/">Cleo Park</a>');
    expect(html).toContain('<img src="/posts/second-part/photo.png" alt="A tiny photo" width="1" height="1" decoding="async">');
    expect(html).toContain('Caption text <span class="credit">© Jane Doe</span>');
    expect(html).toContain('<a class="tag" href="/tags/health/">health</a>');
    expect(html).toContain('<h2 id="a-heading">A heading</h2>');
    expect(html).toContain('<img width="1" height="1" loading="lazy" decoding="async" src="/posts/second-part/photo.png" alt="inline">');
    expect(html).toMatch(/min read/);
    expect(html).toContain('<link rel="canonical" href="https://example.org/posts/second-part/">');
    expect(html).toContain('<meta property="og:image" content="https://example.org/posts/second-part/photo.png">');
    expect(html).toContain('<link rel="alternate" type="application/atom+xml"');
  });

  it('shows the guest line and author role on a guest post', async () => {
    const html = await readOut(root, 'posts/first-part/index.html');
    expect(html).toContain('This guest blog has been written by <strong>Anna Schäfer</strong>, Director, Joint Team.');
    expect(html).toContain('Part 1 of 2');
  });

  it('resolves relative links to other posts, fragments and pages', async () => {
    const first = await readOut(root, 'posts/first-part/index.html');
    expect(first).toContain('<a href="/posts/second-part/">the second part</a>');
    expect(first).toContain('<a href="/posts/second-part/#a-heading">its heading</a>');
    expect(first).toContain('<a href="/posts/second-part/">its folder</a>');
    expect(await readOut(root, 'posts/news/index.html')).toContain('<a href="/privacy/">the privacy page</a>');
  });

  it('gives a date-time post the calendar day in the site time zone', async () => {
    const html = await readOut(root, 'posts/news/index.html');
    expect(html).toContain('<time datetime="2024-05-01T09:30:00+01:00">1 May 2024</time>');
  });

  it('merges tags that differ only in case', async () => {
    const tag = (await readOut(root, 'tags/health/index.html')) + (await readOut(root, 'tags/health/page/2/index.html'));
    expect(tag).toContain('3 posts');
    for (const title of ['First part', 'Second part', 'Network news']) expect(tag).toContain(title);
  });

  it('keeps drafts and future posts out of everything', async () => {
    const all = await Promise.all(['index.html', 'page/2/index.html', 'archive/index.html', 'tags/index.html', 'sitemap.xml', 'feed.xml', 'rss.xml', 'feed.json'].map((f) => readOut(root, f)));
    for (const text of all) {
      expect(text).not.toContain('Secret draft');
      expect(text).not.toContain('From the future');
      expect(text).not.toContain('secret-tag');
    }
    expect(await exists(path.join(root, 'dist/posts/secret'))).toBe(false);
    expect(await exists(path.join(root, 'dist/posts/later'))).toBe(false);
    expect(await exists(path.join(root, 'dist/tags/future-tag'))).toBe(false);
  });

  it('writes feeds with absolute URLs and full content', async () => {
    const atom = await readOut(root, 'feed.xml');
    expect(atom).toContain('<id>https://example.org/posts/second-part/</id>');
    expect(atom).toContain('&lt;a href=&quot;https://example.org/posts/second-part/&quot;&gt;the second part&lt;/a&gt;');
    expect(atom).toContain('<published>2023-02-10T00:00:00+00:00</published>');
    expect(atom).not.toMatch(/href=&quot;\//);
    const rss = await readOut(root, 'rss.xml');
    expect(rss).toContain('<link>https://example.org/posts/news/</link>');
    expect(rss).toContain('<pubDate>Wed, 01 May 2024 08:30:00 GMT</pubDate>');
    const json = JSON.parse(await readOut(root, 'feed.json'));
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.items).toHaveLength(3);
    expect(json.items[0]).toMatchObject({ id: 'https://example.org/posts/news/', title: 'Network news' });
    expect(json.items[0].content_html).toContain('href="https://example.org/privacy/"');
  });

  it('writes a sitemap and a robots.txt that names it', async () => {
    const sitemap = await readOut(root, 'sitemap.xml');
    expect(sitemap).toContain('<loc>https://example.org/posts/first-part/</loc><lastmod>2023-01-10</lastmod>');
    expect(sitemap).toContain('<loc>https://example.org/privacy/</loc>');
    expect(sitemap).not.toContain('404');
    expect(await readOut(root, 'robots.txt')).toContain('Sitemap: https://example.org/sitemap.xml');
  });

  it('has a header search form and a footer with copyright years and links', async () => {
    const html = await readOut(root, 'privacy/index.html');
    expect(html).toContain('<form class="search-form" role="search" aria-label="Site" action="/search/" method="get">');
    expect(html).toContain('© Test Network, 2012–2024');
    expect(html).toContain('<a href="/privacy/">Privacy statement</a>');
  });

  it('groups the archive by year and lists the series in order', async () => {
    const archive = await readOut(root, 'archive/index.html');
    expect(archive.indexOf('2024')).toBeLessThan(archive.indexOf('2023'));
    const series = await readOut(root, 'series/around-the-world/index.html');
    expect(series.indexOf('First part')).toBeLessThan(series.indexOf('Second part'));
  });

  it('includes drafts and future posts when asked', async () => {
    const result = await buildSite(root, { drafts: true, future: true, out: 'dist-all' });
    expect(result.ok).toBe(true);
    expect(await readOut(root, 'posts/secret/index.html', 'dist-all')).toContain('Secret draft');
    expect(await readOut(root, 'posts/later/index.html', 'dist-all')).toContain('From the future');
  });

  it('leaves no temporary folders behind', async () => {
    const names = await fs.readdir(root);
    expect(names.filter((n) => n.startsWith('.dist'))).toEqual([]);
  });
});
