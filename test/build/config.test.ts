import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { loadConfig, normaliseBasePath } from '../../src/config/resolve.js';
import { UsageError } from '../../src/util/messages.js';
import { buildSite, exists, makeSite, post, readOut, writeFiles } from '../helpers/site.js';

describe('site configuration', () => {
  it('formats dates in the configured pattern and language', async () => {
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ language: 'de', dateFormat: 'D. MMMM YYYY', timeZone: 'Europe/Berlin' }),
      'posts/2012-08-16-seed.md': post({ title: 'Seed', date: '2012-08-16' }),
      'posts/2012-03-01-maerz.md': post({ title: 'März', date: '2012-03-01' }),
    });
    expect((await buildSite(root)).ok).toBe(true);
    expect(await readOut(root, 'posts/seed/index.html')).toContain('<time datetime="2012-08-16">16. August 2012</time>');
    expect(await readOut(root, 'posts/maerz/index.html')).toContain('1. März 2012');
    expect(await readOut(root, 'index.html')).toContain('<html lang="de">');
  });

  it('uses the permalink pattern and paginates by postsPerPage', async () => {
    const posts = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`posts/2024-0${i + 1}-15-p${i}.md`, post({ title: `Post ${i}`, date: `2024-0${i + 1}-15` })]),
    );
    const root = await makeSite({ 'gi-build.config.json': JSON.stringify({ permalink: '/:year/:month/:slug/', postsPerPage: 2 }), ...posts });
    expect((await buildSite(root)).ok).toBe(true);
    expect(await exists(path.join(root, 'dist/2024/03/p2/index.html'))).toBe(true);
    expect(await exists(path.join(root, 'dist/page/3/index.html'))).toBe(true);
    expect(await exists(path.join(root, 'dist/page/4/index.html'))).toBe(false);
  });

  it('takes remark and rehype plugins and Handlebars helpers from a JS config', async () => {
    const root = await makeSite({
      'gi-build.config.mjs': `
        const shout = () => (tree) => {
          const walk = (node) => { if (node.type === 'text') node.value = node.value.toUpperCase(); (node.children || []).forEach(walk); };
          walk(tree);
        };
        const mark = () => (tree) => { tree.children.push({ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: 'added by rehype' }] }); };
        export default {
          title: 'JS config',
          remarkPlugins: [shout],
          rehypePlugins: [mark],
          helpers: { reverse: (s) => String(s).split('').reverse().join('') },
        };
      `,
      'templates/partials/footer.hbs': '<footer>{{reverse site.title}}</footer>',
      'posts/a.md': post({ title: 'A', date: '2024-01-01' }, 'quiet words'),
    });
    const result = await buildSite(root);
    expect(result.messages).toEqual([]);
    const html = await readOut(root, 'posts/a/index.html');
    expect(html).toContain('<p>QUIET WORDS</p>');
    expect(html).toContain('<p>added by rehype</p>');
    expect(html).toContain('<footer>gifnoc SJ</footer>');
  });

  it('holds exactly what the latest build produced: a removed post leaves no stale page', async () => {
    const root = await makeSite({
      'posts/a.md': post({ title: 'A', date: '2024-01-01', tags: ['only-a'] }),
      'posts/b.md': post({ title: 'B', date: '2024-01-02' }),
    });
    expect((await buildSite(root)).ok).toBe(true);
    expect(await exists(path.join(root, 'dist/tags/only-a/index.html'))).toBe(true);
    await fs.rm(path.join(root, 'posts/a.md'));
    expect((await buildSite(root)).ok).toBe(true);
    expect(await exists(path.join(root, 'dist/posts/a'))).toBe(false);
    expect(await exists(path.join(root, 'dist/tags/only-a'))).toBe(false);
    expect(await readOut(root, 'index.html')).not.toContain('>A</a>');
  });

  it('copies static files as they are and appends static/robots.txt to the generated one', async () => {
    const root = await makeSite({
      'posts/a.md': post({ title: 'A', date: '2024-01-01' }),
      'static/favicon.ico': Buffer.from([0, 1, 2, 255]),
      'static/robots.txt': 'User-agent: BadBot\nDisallow: /\n',
    });
    expect((await buildSite(root)).ok).toBe(true);
    expect([...(await fs.readFile(path.join(root, 'dist/favicon.ico')))]).toEqual([0, 1, 2, 255]);
    const robots = await readOut(root, 'robots.txt');
    expect(robots).toContain('Sitemap: ');
    expect(robots).toContain('User-agent: BadBot');
  });

  it('copies hidden files from static/ (.nojekyll, .well-known/) but not version-control folders', async () => {
    const root = await makeSite({
      'posts/a.md': post({ title: 'A', date: '2024-01-01' }),
      'static/.nojekyll': '',
      'static/.well-known/security.txt': 'Contact: mailto:x@example.org',
      'static/.git/config': 'secret',
      'static/.DS_Store': 'junk',
    });
    expect((await buildSite(root)).ok).toBe(true);
    expect(await exists(path.join(root, 'dist/.nojekyll'))).toBe(true);
    expect(await readOut(root, '.well-known/security.txt')).toContain('Contact:');
    expect(await exists(path.join(root, 'dist/.git'))).toBe(false);
    expect(await exists(path.join(root, 'dist/.DS_Store'))).toBe(false);
  });

  it('reports a static file that collides with a generated page', async () => {
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-01-01' }), 'static/404.html': 'mine' });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(result.messages.map((m) => m.reason).join('\n')).toMatch(/static\/404\.html and the 404 page would both be written to 404\.html/);
  });
});

describe('output safety', () => {
  it('reports static files that would replace the feeds or the sitemap, or stand where a folder must be', async () => {
    const root = await makeSite({
      'posts/a.md': post({ title: 'A', date: '2024-01-01', tags: ['x'] }),
      'static/feed.xml': 'mine',
      'static/sitemap.xml': 'mine',
      'static/tags': 'a file',
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    const reasons = result.messages.map((m) => `${m.file}: ${m.reason}`).join('\n');
    expect(reasons).toContain('static/feed.xml: static/feed.xml and the generated feed.xml would both be written to feed.xml');
    expect(reasons).toContain('static/sitemap.xml and the generated sitemap.xml');
    expect(reasons).toMatch(/static\/tags would be written as the file tags, where .* needs a folder/);
  });

  it('writes through an output folder that is a symbolic link, keeping the link', async () => {
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-01-01' }) });
    const target = await fs.mkdtemp(path.join(path.dirname(root), 'gi-build-www-'));
    await fs.symlink(target, path.join(root, 'dist'));
    expect((await buildSite(root)).ok).toBe(true);
    expect((await fs.lstat(path.join(root, 'dist'))).isSymbolicLink()).toBe(true);
    expect(await exists(path.join(target, 'posts/a/index.html'))).toBe(true);
    await fs.rm(path.join(root, 'posts/a.md'));
    await writeFiles(root, { 'posts/b.md': post({ title: 'B', date: '2024-01-02' }) });
    expect((await buildSite(root)).ok).toBe(true);
    expect(await exists(path.join(target, 'posts/a'))).toBe(false);
    expect(await exists(path.join(target, 'posts/b/index.html'))).toBe(true);
  });

  it('does not publish Markdown kept beside a folder post', async () => {
    const root = await makeSite({
      'posts/trip/index.md': post({ title: 'Trip', date: '2024-01-01' }),
      'posts/trip/day-2-draft.md': post({ title: 'Embargoed', date: '2024-01-02', draft: true }),
      'posts/trip/photo.png': 'png',
    });
    expect((await buildSite(root)).ok).toBe(true);
    expect(await exists(path.join(root, 'dist/posts/trip/photo.png'))).toBe(true);
    expect(await exists(path.join(root, 'dist/posts/trip/day-2-draft.md'))).toBe(false);
  });
});

describe('URLs of odd names', () => {
  it('encodes # and spaces in image file names, and gives a name without a slug no author link', async () => {
    const root = await makeSite({
      'posts/x/index.md': post({ title: 'X', date: '2024-01-01', image: 'My Photo #1.png', imageAlt: 'p', author: ['!!!', 'Jane'] }, '![p](My%20Photo%20%231.png)\n\n`gi-ref:posts/x.md` is text.'),
      'posts/x/My Photo #1.png': 'png',
    });
    expect((await buildSite(root)).ok).toBe(true);
    const html = await readOut(root, 'posts/x/index.html');
    expect(html).toContain('src="/posts/x/My%20Photo%20%231.png" alt="p"');
    expect(html).not.toContain('/authors//');
    expect(html).toContain('By !!! and <a href="/authors/jane/">Jane</a>');
    expect(html).toContain('<code>gi-ref:posts/x.md</code> is text.');
  });
});

describe('a JS config that fails', () => {
  /** The error loading a site with this `gi-build.config.mjs` ends in, waiting `timeoutMs` for it. */
  async function failure(source: string, timeoutMs?: number): Promise<UsageError> {
    const root = await makeSite({ 'gi-build.config.mjs': source });
    const err = await loadConfigFile(root, timeoutMs === undefined ? {} : { timeoutMs }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }

  it.each([
    ['a function that throws', 'export default () => {\n  throw new Error("no API key");\n};\n', 'gi-build.config.mjs:2:9: the config function failed: no API key'],
    ['an async function that rejects', 'export default async () => {\n  await null;\n  throw new TypeError("bad key");\n};\n', 'gi-build.config.mjs:3:9: the config function failed: TypeError: bad key'],
    ['a function whose promise rejects with a string', 'export default () => Promise.reject("offline");\n', 'gi-build.config.mjs: the config function failed: offline'],
    ['an exported promise that rejects', 'export default Promise.reject(new RangeError("out of range"));\n', "gi-build.config.mjs:1:31: the config's exported promise was rejected: RangeError: out of range"],
    ['a module that throws as it loads', 'const x = 1;\nthrow new Error("top");\nexport default {};\n', 'gi-build.config.mjs:2:7: the config could not be loaded: top'],
  ])('reports %s as a config error, naming the file and the line', async (_, source, expected) => {
    const err = await failure(source);
    expect(err.message).toBe(expected);
    expect(err.message).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['a function whose promise never settles', 'export default () => new Promise(() => {});\n', 'gi-build.config.mjs: the promise returned by the config function did not settle within 0.2 s'],
    ['an exported promise that never settles', 'export default new Promise(() => {});\n', "gi-build.config.mjs: the config's exported promise did not settle within 0.2 s"],
    ['a top-level await that never settles', 'await new Promise(() => {});\nexport default {};\n', 'gi-build.config.mjs: the config did not finish loading within 0.2 s: something it awaits at its top level never settles'],
  ])('gives up on %s after the time it is given', async (_, source, expected) => {
    const start = Date.now();
    const err = await failure(source, 200);
    expect(err.message).toBe(expected);
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  it('waits for an exported promise and for a slow async function within the time it is given', async () => {
    const root = await makeSite({ 'gi-build.config.mjs': 'export default new Promise((ok) => setTimeout(() => ok({ title: "Late" }), 50));\n' });
    expect((await loadConfigFile(root, { timeoutMs: 5_000 })).data).toEqual({ title: 'Late' });
    await writeFiles(root, { 'gi-build.config.mjs': 'export default async () => { await new Promise((ok) => setTimeout(ok, 50)); return { title: "Slow" }; };\n' });
    expect((await loadConfigFile(root, { timeoutMs: 5_000 })).data).toEqual({ title: 'Slow' });
  });
});

describe('the base path', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['blog', '/blog/'],
    [' /blog ', '/blog/'],
    ['//docs/v2//', '/docs/v2/'],
    ['/blog/a:b/', '/blog/a:b/'],
    ['/~user/', '/~user/'],
    ['/%E2%9C%93/', '/%E2%9C%93/'],
  ])('normalises %j to %j', (value, expected) => {
    expect(normaliseBasePath(value)).toBe(expected);
  });

  it.each([
    ['javascript:alert(1)', 'starts with the URL scheme "javascript:"'],
    ['/javascript:alert(1)/', 'starts with the URL scheme "javascript:"'],
    ['JavaScript:alert(1)', 'starts with the URL scheme "JavaScript:"'],
    ['data:text/html,<script>alert(1)</script>', 'starts with the URL scheme "data:"'],
    ['vbscript:msgbox', 'starts with the URL scheme "vbscript:"'],
    ['https://example.org/blog/', 'starts with the URL scheme "https:"'],
    ['x-my+scheme.v1:thing', 'starts with the URL scheme "x-my+scheme.v1:"'],
    ['/a:b/', 'starts with the URL scheme "a:"'],
    ['java\tscript:alert(1)', 'contains a control character (U+0009)'],
    ['/blog/\n', 'contains a control character (U+000A)'],
    ['/bl\u0000og/', 'contains a control character (U+0000)'],
    ['/blog\u007f/', 'contains a control character (U+007F)'],
    ['/blog\u0085/', 'contains a control character (U+0085)'],
    ['/a/../b/', 'is not a valid URL path'],
    ['/a b/', 'is not a valid URL path'],
  ])('refuses %j', (value, expected) => {
    let err: unknown;
    try {
      normaliseBasePath(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain(expected);
    expect((err as UsageError).hint).toContain('/blog/');
  });

  it('refuses a scheme from the config file as from the flag', async () => {
    const root = await makeSite({ 'gi-build.config.json': JSON.stringify({ basePath: 'javascript:alert(1)' }) });
    await expect(loadConfig({ root }, root)).rejects.toThrow('base path "javascript:alert(1)" starts with the URL scheme "javascript:"');
    await expect(loadConfig({ root: path.join(root, 'nope') }, root)).rejects.toThrow(UsageError);
  });
});

describe('the output folder, by its real path', () => {
  it('is refused when a link leads into a source folder, whether it exists yet or not', async () => {
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-01-01' }) });
    await fs.symlink('posts', path.join(root, 'to-posts'));
    await fs.symlink('posts/later', path.join(root, 'dangling'));
    for (const out of ['to-posts', 'to-posts/x/y', 'dangling', 'dangling/deeper']) {
      await expect(loadConfig({ root, out }, root), out).rejects.toThrow(/it is inside posts\/, which gi-build reads/);
    }
    await fs.symlink('loop-b', path.join(root, 'loop-a'));
    await fs.symlink('loop-a', path.join(root, 'loop-b'));
    await expect(loadConfig({ root, out: 'loop-a' }, root)).rejects.toThrow(/the output folder .*loop-a cannot be resolved/);
  });

  it('is accepted through a link that leads elsewhere', async () => {
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-01-01' }) });
    const elsewhere = await fs.mkdtemp(path.join(path.dirname(root), 'gi-build-www-'));
    await fs.symlink(elsewhere, path.join(root, 'www'));
    const config = await loadConfig({ root, out: 'www/blog' }, root);
    expect(config.outDir).toBe(path.join(root, 'www/blog'));
  });
});
