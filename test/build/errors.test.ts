import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../src/cli/reporter.js';
import { buildSite, exists, makeSite, post, readOut, snapshot, writeFiles } from '../helpers/site.js';

const GOOD = post({ title: 'Good post', date: '2024-01-01' }, 'Fine.');

function lines(messages: Parameters<typeof formatMessage>[0][]): string[] {
  return messages.map((m) => formatMessage(m).split('\n')[0]!);
}

describe('content errors', () => {
  it('names the file and line of invalid YAML, and leaves the previous output byte-identical', async () => {
    const root = await makeSite({ 'posts/2024-01-01-good.md': GOOD });
    expect((await buildSite(root)).ok).toBe(true);
    const before = await snapshot(path.join(root, 'dist'));

    await writeFiles(root, { 'posts/2024-02-01-bad.md': '---\ntitle: Fine\ndate: 2024-02-01\ntags: [one, two\nauthor: Someone\n---\nBody\n' });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    const [first] = lines(result.messages);
    expect(first).toMatch(/^posts\/2024-02-01-bad\.md:[45]:\d+ {2}error {2}invalid YAML in the front matter/);
    expect(first).toContain('[frontmatter/yaml]');
    expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
  });

  it('points at the line of a value with an unquoted colon', async () => {
    const root = await makeSite({ 'posts/a.md': '---\ndate: 2024-01-01\ntitle: Care: a new start\n---\n' });
    const result = await buildSite(root);
    expect(lines(result.messages)[0]).toMatch(/^posts\/a\.md:3:\d+ {2}error/);
    expect(result.messages[0]!.hint).toContain('quoted');
  });

  it('lists a missing title and a bad date from different posts in one build', async () => {
    const root = await makeSite({
      'posts/no-title.md': '---\ndate: 2024-01-01\n---\nText\n',
      'posts/bad-date.md': '---\ntitle: Bad date\ndate: 2023-02-30\n---\nText\n',
      'posts/ok.md': GOOD,
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual([
      'posts/bad-date.md:3:1  error  "date": "2023-02-30" is not a real calendar date  [frontmatter/date]',
      'posts/no-title.md:1:1  error  the front matter has no "title"  [frontmatter/title]',
    ]);
    expect(await exists(path.join(root, 'dist'))).toBe(false);
  });

  it('reports an empty date as a missing one', async () => {
    const root = await makeSite({ 'posts/a.md': '---\ntitle: A\ndate:\n---\n', 'posts/b.md': '---\ntitle: B\ndate: ""\n---\n' });
    const result = await buildSite(root);
    expect(lines(result.messages)).toEqual([
      'posts/a.md:1:1  error  the front matter has no "date"  [frontmatter/date]',
      'posts/b.md:1:1  error  the front matter has no "date"  [frontmatter/date]',
    ]);
  });

  it('reports a Markdown plugin that throws on the post, and builds nothing', async () => {
    const root = await makeSite({
      'gi-build.config.mjs': 'export default { remarkPlugins: [() => () => { throw new Error("plugin broke"); }] };',
      'posts/a.md': GOOD,
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual(['posts/a.md:5:1  error  a Markdown plugin failed on this file: plugin broke  [markdown/plugin]']);
  });

  it('keeps numbers in front matter as they were written', async () => {
    const root = await makeSite({ 'posts/a.md': '---\ntitle: 2.10\ndate: 2024-01-01\nauthor: 007\ntags: [1.0, 0x10]\n---\nText\n' });
    const result = await buildSite(root);
    expect(result.messages).toEqual([]);
    const html = await readOut(root, 'posts/a/index.html');
    expect(html).toContain('<h1>2.10</h1>');
    expect(html).toContain('>007</a>');
    expect(html).toContain('<a class="tag" href="/tags/1-0/">1.0</a>');
    expect(html).toContain('<a class="tag" href="/tags/0x10/">0x10</a>');
  });

  it('keeps an author name with a comma whole', async () => {
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-01-01', author: 'Smith, Jane' }) });
    expect((await buildSite(root)).ok).toBe(true);
    expect(await readOut(root, 'posts/a/index.html')).toContain('<a href="/authors/smith-jane/">Smith, Jane</a>');
  });

  it('names both files when two posts would get the same URL, also differing only in case', async () => {
    const root = await makeSite({
      'posts/2024-01-01-hello.md': post({ title: 'One', date: '2024-01-01' }),
      'posts/2024-02-01-other.md': post({ title: 'Two', date: '2024-02-01', slug: 'Hello' }),
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    const text = lines(result.messages).join('\n');
    expect(text).toContain('posts/2024-01-01-hello.md');
    expect(text).toContain('posts/2024-02-01-other.md');
    expect(text).toContain('[output/collision]');
  });

  it('names both when a page and a post folder collide in letter case only', async () => {
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ permalink: '/:slug/' }),
      'posts/2024-01-01-about.md': post({ title: 'About post', date: '2024-01-01' }),
      'pages/About.md': post({ title: 'About page' }),
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    const text = lines(result.messages).join('\n');
    expect(text).toMatch(/pages\/About\.md .*posts\/2024-01-01-about\.md|posts\/2024-01-01-about\.md .*pages\/About\.md/);
  });

  it('puts a page that takes a built-in page\'s address on the page\'s own file', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD, 'pages/tags.md': post({ title: 'Our tags' }) });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual(['pages/tags.md  error  the tags index and pages/tags.md would both be written to tags/index.html  [output/collision]']);
  });

  it('never writes outside the output folder, whatever the slug says', async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-escape-'));
    const root = path.join(parent, 'site');
    await writeFiles(root, { 'posts/a.md': post({ title: 'Escape', date: '2024-01-01', slug: '../../../escaped' }) });
    expect((await buildSite(root)).ok).toBe(true);
    expect(await exists(path.join(root, 'dist/posts/escaped/index.html'))).toBe(true);
    expect((await fs.readdir(parent)).sort()).toEqual(['site']);
    expect((await fs.readdir(root)).sort()).toEqual(['dist', 'posts']);
  });

  it('rejects a slug with nothing usable in it', async () => {
    const root = await makeSite({ 'posts/b.md': post({ title: 'Dots', date: '2024-01-02', slug: '..' }) });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)[0]).toMatch(/^posts\/b\.md:4:1 {2}error {2}no URL slug can be made/);
  });

  it('refuses ---js front matter and never runs it', async () => {
    const marker = path.join(os.tmpdir(), `gi-build-pwned-${process.pid}`);
    const root = await makeSite({
      'posts/evil.md': `---js\n{ title: require('fs').writeFileSync(${JSON.stringify(marker)}, 'x') }\n---\nBody\n`,
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)[0]).toMatch(/^posts\/evil\.md:1:\d+ {2}error {2}front matter in "js" is not supported/);
    expect(await exists(marker)).toBe(false);
  });

  it('does not run YAML tags that other parsers treat as code', async () => {
    const root = await makeSite({ 'posts/tag.md': '---\ntitle: !!js/function "function () { return 1 }"\ndate: 2024-01-01\n---\nText\n' });
    const result = await buildSite(root);
    if (result.ok) expect(await readOut(root, 'posts/tag/index.html')).toContain('function () { return 1 }');
  });

  it('names a file that is not UTF-8, with its line', async () => {
    const latin1 = Buffer.concat([Buffer.from('---\ntitle: Caf'), Buffer.from([0xe9]), Buffer.from('\ndate: 2024-01-01\n---\nText\n')]);
    const root = await makeSite({ 'posts/latin.md': latin1, 'posts/ok.md': GOOD });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual(['posts/latin.md:2:1  error  the file is not valid UTF-8 text  [content/encoding]']);
    expect(result.messages[0]!.hint).toMatch(/UTF-8/);
  });

  it('accepts a BOM and CRLF line ends', async () => {
    const root = await makeSite({ 'posts/bom.md': `\uFEFF---\r\ntitle: With BOM\r\ndate: 2024-01-01\r\n---\r\n\r\nCafé text.\r\n` });
    const result = await buildSite(root);
    expect(result.messages).toEqual([]);
    const html = await readOut(root, 'posts/bom/index.html');
    expect(html).toContain('<h1>With BOM</h1>');
    expect(html).toContain('<p>Café text.</p>');
  });

  it('warns about a likely typo of a known key, naming the key', async () => {
    const root = await makeSite({ 'posts/typo.md': '---\ntittle: Typo\ntitle: Real\ndate: 2024-01-01\ntag: [a]\nautor: Me\n---\nText\n' });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual([
      'posts/typo.md:5:1  warning  unknown key "tag": did you mean "tags"?  [frontmatter/unknown-key]',
      'posts/typo.md:6:1  warning  unknown key "autor": did you mean "author"?  [frontmatter/unknown-key]',
    ]);
  });

  it('warns about a missing imageAlt and a link to a post that does not exist', async () => {
    const root = await makeSite({
      'posts/x/index.md': post({ title: 'X', date: '2024-01-01', image: 'p.png' }, 'See [gone](missing-post.md).'),
      'posts/x/p.png': 'png',
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual([
      'posts/x/index.md:4:1  warning  the lead image has no "imageAlt" text  [frontmatter/imageAlt]',
      'posts/x/index.md:7:5  warning  links to posts/x/missing-post.md, but there is no such post or page  [link/missing-post]',
    ]);
  });

  it('reports a lead image that does not exist as an error on its line', async () => {
    const root = await makeSite({ 'posts/y.md': post({ title: 'Y', date: '2024-01-01', image: 'nope.png', imageAlt: 'x' }) });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)[0]).toBe('posts/y.md:4:1  error  the lead image posts/nope.png does not exist  [frontmatter/image]');
  });

  it('keeps unknown keys for templates and keeps unrelated posts building', async () => {
    const root = await makeSite({
      'templates/layouts/post.hbs': '<h1>{{post.title}}</h1><p class="mood">{{post.data.mood}}</p>',
      'posts/a.md': post({ title: 'A', date: '2024-01-01', mood: 'hopeful' }),
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(await readOut(root, 'posts/a/index.html')).toContain('<p class="mood">hopeful</p>');
  });
});

describe('the json helper', () => {
  it('writes the views themselves, not the keys the build compares pages by', async () => {
    const root = await makeSite({
      'templates/layouts/post.hbs': '<script type="application/ld+json">{{{json post}}}</script><script id="site">{{{json site}}}</script>',
      'posts/a.md': post({ title: 'A </script> title', date: '2024-01-01', tags: ['housing'] }, 'Body.'),
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    const html = await readOut(root, 'posts/a/index.html');
    const [, postJson, siteJson] = /ld\+json">(.*?)<\/script><script id="site">(.*?)<\/script>/s.exec(html)!;
    const view = JSON.parse(postJson!);
    expect(view).toMatchObject({ title: 'A </script> title', url: '/posts/a/', tags: [{ text: 'housing', url: '/tags/housing/' }] });
    expect(view.content).toContain('Body.');
    expect(JSON.parse(siteJson!)).toMatchObject({ title: expect.any(String), nav: expect.any(Array) });
  });
});

describe('template errors', () => {
  it('names the template file and line of a syntax error', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD, 'templates/partials/footer.hbs': '<footer>\n{{#if site.title}}\n<p>x</p>\n' });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)[0]).toMatch(/^templates\/partials\/footer\.hbs:\d+:1 {2}error {2}template syntax error/);
  });

  it('names what was searched for a missing layout, on the line of the layout key', async () => {
    const root = await makeSite({ 'posts/a.md': '---\ntitle: A\ndate: 2024-01-01\nlayout: wide\n---\nText.\n' });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)[0]).toMatch(
      /^posts\/a\.md:4(:\d+)? {2}error {2}no layout named "wide" \(needed by posts\/a\.md\); looked for templates\/layouts\/wide\.hbs and \(built-in\) templates\/layouts\/wide\.hbs {2}\[template\/missing-layout\]$/,
    );
  });

  it('names the partial that failed at render time', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD, 'templates/partials/footer.hbs': '<footer>{{> no-such-partial}}</footer>' });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)[0]).toMatch(/^templates\/partials\/footer\.hbs {2}error {2}The partial no-such-partial could not be found/);
  });

  it('lets a site override one partial and keeps the rest of the theme', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD, 'templates/partials/footer.hbs': '<footer class="mine">Our footer</footer>' });
    expect((await buildSite(root)).ok).toBe(true);
    const html = await readOut(root, 'posts/a/index.html');
    expect(html).toContain('<footer class="mine">Our footer</footer>');
    expect(html).toContain('class="site-header"');
  });
});

describe('a build from scratch that fails while writing its pages', () => {
  it('leaves the previous output byte-identical and no half-written folder behind', async () => {
    const files: Record<string, string> = {};
    for (let i = 10; i < 70; i++) files[`posts/2024-01-${String((i % 28) + 1).padStart(2, '0')}-p${i}.md`] = post({ title: `P${i}`, date: `2024-01-${String((i % 28) + 1).padStart(2, '0')}` }, `Text ${i}.`);
    const root = await makeSite(files);
    expect((await buildSite(root)).ok).toBe(true);
    const before = await snapshot(path.join(root, 'dist'));
    // Pages are written in chunks as they render: the oldest post's page comes after many others.
    await fs.rm(path.join(root, 'dist'), { recursive: true });
    await fs.mkdir(path.join(root, 'dist'));
    await fs.writeFile(path.join(root, 'dist', '.gi-build'), 'marker');
    expect((await buildSite(root)).ok).toBe(true);
    const rebuilt = await snapshot(path.join(root, 'dist'));
    await writeFiles(root, {
      'templates/layouts/broken.hbs': '{{> no-such-partial}}',
      'posts/2024-01-01-p27.md': post({ title: 'P27', date: '2024-01-01', layout: 'broken' }, 'Text.'),
    });
    const failed = await buildSite(root);
    expect(failed.ok).toBe(false);
    expect(failed.messages.some((m) => m.rule === 'template/render')).toBe(true);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(rebuilt);
    expect((await fs.readdir(root)).filter((n) => n.includes('.new-') || n.includes('.old-'))).toEqual([]);
    expect(Object.keys(before).length).toBe(Object.keys(rebuilt).length);
  });
});

describe('names that share a URL', () => {
  it('warns when two different tags would share one page, but not for a difference of case', async () => {
    const root = await makeSite({
      'posts/a.md': post({ title: 'A', date: '2024-01-02', tags: ['C#', 'Health'] }),
      'posts/b.md': post({ title: 'B', date: '2024-01-01', tags: ['c++', 'health'] }),
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual(['posts/b.md  warning  the tag "c++" gets the same page as "C#" (/tags/c/)  [content/name-clash]']);
  });
});
