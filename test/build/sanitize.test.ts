import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite, makeSite, readOut } from '../helpers/site.js';

const HOSTILE_BODY = `
<script>window.pwned = 1</script>

<img src="x.png" onerror="alert(1)">

[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[upper](JAVASCRIPT:alert(2))

<a href="javascript:alert(3)">raw link</a>
<iframe src="https://evil.example/"></iframe>
<div onclick="alert(4)" style="position:fixed">styled</div>
<style>body { display: none }</style>
<form action="https://evil.example/"><input name="document"></form>

A footnote.[^1]

[^1]: The note.
`;

describe('untrusted content stays inert', () => {
  let html: string;
  let home: string;
  beforeAll(async () => {
    const root = await makeSite({
      'posts/2024-01-01-hostile.md': `---
title: "<script>alert('title')</script> & <b>bold</b>"
date: 2024-01-01
author: "<img src=x onerror=alert(5)>"
summary: "<script>alert('summary')</script>"
tags: ["<b>tag</b>"]
imageCredit: "<i>credit</i>"
---
${HOSTILE_BODY}`,
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    html = await readOut(root, 'posts/hostile/index.html');
    home = await readOut(root, 'index.html');
  });

  it('removes scripts, event handlers, iframes and styles from the body', () => {
    const body = html.slice(html.indexOf('<div class="post-body">'));
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toMatch(/\son\w+=/i);
    expect(body).not.toContain('<iframe');
    expect(body).not.toContain('style=');
    expect(body).not.toContain('<form');
    expect(body).toContain('styled');
    expect(body).not.toContain('display: none');
  });

  it('removes javascript: and data: links', () => {
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toContain('data:text/html');
    expect(html).toContain('>click</a>');
  });

  it('shows markup in the title and other front matter as text', () => {
    expect(html).toContain('<h1>&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</h1>');
    expect(html).toContain('<title>&lt;script&gt;');
    expect(html).not.toContain('<img src=x');
    expect(home).not.toContain("<script>alert('summary')</script>");
    expect(home).toContain('&lt;script&gt;alert(&#x27;summary&#x27;)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;tag&lt;/b&gt;');
  });

  it('keeps footnote links working after sanitising', () => {
    const ref = /<a href="#([^"]+)" id="([^"]+)" data-footnote-ref/.exec(html);
    expect(ref).not.toBeNull();
    expect(html).toContain(`<li id="${ref![1]}">`);
    expect(html).toContain(`href="#${ref![2]}"`);
  });

  it('prefixes name attributes so content cannot shadow document properties', () => {
    expect(html).not.toContain('name="document"');
  });
});

describe('markdown.html modes', () => {
  const body = 'Before <b>bold</b> <span class="x">span</span> after.\n\n<div class="box">block</div>\n';
  const build = async (mode: string) => {
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ markdown: { html: mode } }),
      'posts/a.md': `---\ntitle: A\ndate: 2024-01-01\n---\n\n${body}`,
    });
    expect((await buildSite(root)).ok).toBe(true);
    const page = await readOut(root, 'posts/a/index.html');
    return page.slice(page.indexOf('<div class="post-body">'), page.indexOf('<footer class="post-footer">'));
  };

  it('sanitize (the default) keeps safe elements and drops unsafe attributes', async () => {
    const out = await build('sanitize');
    expect(out).toContain('<b>bold</b>');
    expect(out).toContain('<span>span</span>');
    expect(out).toContain('<div>block</div>');
  });

  it('escape shows raw HTML as text', async () => {
    const out = await build('escape');
    expect(out).toContain('&#x3C;b>bold&#x3C;/b>');
    expect(out).not.toContain('<b>bold</b>');
  });

  it('allow keeps raw HTML as written', async () => {
    const out = await build('allow');
    expect(out).toContain('<span class="x">span</span>');
    expect(out).toContain('<div class="box">block</div>');
  });
});

describe('srcset in trusted raw HTML', () => {
  it('points every candidate at the right URL, with the base path, and absolute in feeds', async () => {
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ markdown: { html: 'allow' }, basePath: '/blog/', baseUrl: 'https://example.org' }),
      'posts/a/index.md': '---\ntitle: A\ndate: 2024-01-01\n---\n\n<img src="pic.png" srcset="pic.png 1x, pic@2x.png 2x" alt="x">\n',
      'posts/a/pic.png': 'png',
      'posts/a/pic@2x.png': 'png',
    });
    expect((await buildSite(root)).ok).toBe(true);
    const html = await readOut(root, 'posts/a/index.html');
    expect(html).toContain('srcset="/blog/posts/a/pic.png 1x, /blog/posts/a/pic@2x.png 2x"');
    expect(await readOut(root, 'feed.xml')).toContain('srcset=&quot;https://example.org/blog/posts/a/pic.png 1x, https://example.org/blog/posts/a/pic@2x.png 2x&quot;');
  });
});

describe('ids the theme relies on', () => {
  it('keeps a heading called "Main" and content ids starting gi- from clashing with the theme', async () => {
    const root = await makeSite({ 'posts/a.md': '---\ntitle: A\ndate: 2024-01-01\n---\n\n# Main\n\n<p id="gi-search-results">x</p>\n' });
    expect((await buildSite(root)).ok).toBe(true);
    const html = await readOut(root, 'posts/a/index.html');
    expect(html.match(/id="gi-main"/g)).toHaveLength(1);
    expect(html).toContain('<h1 id="main">Main</h1>');
    expect(html).toContain('<p id="user-content-gi-search-results">x</p>');
  });
});
