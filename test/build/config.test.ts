import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
