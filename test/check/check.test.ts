import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutput } from '../../src/check/index.js';
import { makeSite } from '../helpers/site.js';

/** A minimal page around some body HTML. */
function page(body: string, head = ''): string {
  return `<!doctype html>\n<html><head><title>t</title>${head}</head>\n<body>\n${body}\n</body></html>\n`;
}

/** The files every fixture site has besides its pages. */
const COMMON = {
  'index.html': page('<h1 id="top-heading">Home</h1>'),
  'posts/b/index.html': page('<h2 id="intro">Intro</h2><a name="legacy"></a>'),
  'posts/b/lead.png': 'png',
  'posts/b/lead-2x.png': 'png',
  'feed.xml': '<feed/>',
  'search/index.html': page('<div id="results"></div>'),
  'assets/style.css': 'body{}',
};

async function check(files: Record<string, string>, basePath = '/', sources?: Map<string, string>) {
  const root = await makeSite(Object.fromEntries(Object.entries(files).map(([f, text]) => [`dist/${f}`, text])));
  return checkOutput(path.join(root, 'dist'), { basePath, outLabel: 'dist', ...(sources ? { sources, root } : {}) });
}

describe('checkOutput', () => {
  it('passes a site whose links, fragments, images and forms all resolve', async () => {
    const result = await check({
      ...COMMON,
      'posts/a/index.html': page(
        [
          '<a href="#main" id="main">skip</a> <a href="#">top</a> <a href="#top">top</a> <a href="">self</a>',
          '<a href="/">home</a> <a href="/posts/b/#intro">intro</a> <a href="/posts/b#legacy">legacy</a> <a href="../b/">b</a>',
          '<a href="/search/?q=care#results">search</a> <a href="/feed.xml">feed</a> <a href="/posts/b/lead.png#anything">img</a>',
          '<img src="/posts/b/lead.png" srcset="/posts/b/lead.png 1x, ../b/lead-2x.png 2x" alt="">',
          '<form action="/search/" method="get"></form>',
        ].join('\n'),
        '<link rel="stylesheet" href="/assets/style.css"><link rel="alternate" href="/feed.xml">',
      ),
    });
    expect(result.messages).toEqual([]);
    expect(result.pages).toBe(4);
  });

  it('skips external URLs without fetching them', async () => {
    const result = await check({
      ...COMMON,
      'posts/a/index.html': page(
        '<a href="https://example.invalid/nope/">x</a> <a href="http://example.invalid">x</a> <a href="mailto:a@example.org">m</a> <a href="tel:+4412345">t</a> <img src="//cdn.example.invalid/x.png" alt="">',
      ),
    });
    expect(result.messages).toEqual([]);
  });

  it('reports a broken link on the output file, with the line and column of its attribute', async () => {
    const result = await check({ ...COMMON, 'tags/x/index.html': page('<p>\n  <a href="/posts/missing/">gone</a></p>') });
    expect(result.messages).toEqual([
      {
        file: 'dist/tags/x/index.html',
        line: 5,
        column: 6,
        severity: 'error',
        reason: 'broken link to /posts/missing/',
        rule: 'check/broken-link',
        hint: 'No file in the output answers it; looked for dist/posts/missing/index.html.',
      },
    ]);
  });

  it('reports broken fragments on the same page and on another page', async () => {
    const result = await check({ ...COMMON, 'posts/a/index.html': page('<a href="#missing">x</a>\n<a href="/posts/b/#outro">y</a>\n<a href="/posts/b/#intro">ok</a>') });
    expect(result.messages.map((m) => [m.line, m.rule, m.reason])).toEqual([
      [4, 'check/broken-fragment', 'broken link to #missing: this page has no element with id "missing"'],
      [5, 'check/broken-fragment', 'broken link to /posts/b/#outro: dist/posts/b/index.html has no element with id "outro"'],
    ]);
  });

  it('reports broken images, srcset candidates included', async () => {
    const result = await check({
      ...COMMON,
      'posts/a/index.html': page('<img src="/posts/b/lead.png" srcset="/posts/b/lead.png 1x, /posts/b/lead-3x.png 3x" alt="">\n<img src="lead.jpg" alt="">\n<picture><source srcset="/posts/b/lead.webp"><img src="/posts/b/lead.png" alt=""></picture>'),
    });
    expect(result.messages.map((m) => [m.line, m.rule, m.reason])).toEqual([
      [4, 'check/broken-image', 'broken image /posts/b/lead-3x.png'],
      [5, 'check/broken-image', 'broken image lead.jpg'],
      [6, 'check/broken-image', 'broken image /posts/b/lead.webp'],
    ]);
    expect(result.messages[1]!.hint).toBe('No file in the output answers it; looked for dist/posts/a/lead.jpg.');
  });

  it('under a base path, reports a root-relative link that leaves it out', async () => {
    const result = await check(
      {
        ...COMMON,
        'posts/a/index.html': page('<a href="/blog/posts/b/">ok</a> <a href="/posts/b/">no base</a> <img src="/posts/b/lead.png" alt=""> <a href="/blog/">home</a> <a href="/blog">home</a>'),
      },
      '/blog/',
    );
    expect(result.messages.map((m) => [m.rule, m.reason])).toEqual([
      ['check/broken-link', 'broken link to /posts/b/: it is outside the base path /blog/'],
      ['check/broken-image', 'broken image /posts/b/lead.png: it is outside the base path /blog/'],
    ]);
    expect(result.messages[0]!.hint).toContain('{{relUrl "/posts/b/"}}');
  });

  it('reports the same broken URL once per page', async () => {
    const result = await check({
      ...COMMON,
      'posts/a/index.html': page('<a href="/gone/">1</a> <a href="/gone/">2</a> <a href="#nope">3</a> <a href="#nope">4</a>'),
      'posts/c/index.html': page('<a href="/gone/">1</a>'),
    });
    expect(result.messages.map((m) => `${m.file} ${m.reason}`)).toEqual([
      'dist/posts/a/index.html broken link to /gone/',
      'dist/posts/a/index.html broken link to #nope: this page has no element with id "nope"',
      'dist/posts/c/index.html broken link to /gone/',
    ]);
  });

  it('names the source file of a page when it is known, on the line that writes the URL', async () => {
    const markdown = '---\ntitle: A\n---\n\nSee [x](/gone/).\n';
    const root = await makeSite({
      'posts/a.md': markdown,
      ...Object.fromEntries(Object.entries({ ...COMMON, 'posts/a/index.html': page('<header><a href="/nav/">nav</a></header><p>See <a href="/blog/gone/">x</a>.</p>') }).map(([f, t]) => [`dist/${f}`, t])),
    });
    const result = await checkOutput(path.join(root, 'dist'), { basePath: '/blog/', outLabel: 'dist', sources: new Map([['posts/a/index.html', 'posts/a.md']]), root });
    expect(result.messages.map((m) => [m.file, m.line, m.column, m.reason])).toEqual([
      // Not in the Markdown (a template wrote it): the message names the file but no line.
      ['posts/a.md', undefined, undefined, 'broken link to /nav/: it is outside the base path /blog/ (in dist/posts/a/index.html)'],
      ['posts/a.md', 5, 9, 'broken link to /blog/gone/ (in dist/posts/a/index.html)'],
    ]);
  });
});
