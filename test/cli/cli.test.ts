import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exists, makeSite, post, REPO, runCli, snapshot, spawnCli } from '../helpers/site.js';

const SIMPLE = {
  'gi-build.config.json': JSON.stringify({ title: 'CLI site', baseUrl: 'https://example.org', timeZone: 'Europe/Berlin' }),
  'posts/2024-01-01-hello.md': post({ title: 'Hello', date: '2024-01-01' }, 'Hello [world](2024-02-01-world.md).'),
  'posts/2024-02-01-world.md': post({ title: 'World', date: '2024-02-01T23:30:00Z', author: 'Ann' }, 'World.'),
  'pages/about.md': post({ title: 'About' }, 'About us.'),
};

describe('gi-build (the binary)', () => {
  it('prints help with examples and exits 0', async () => {
    const r = await runCli(['--help'], { cwd: os.tmpdir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: gi-build');
    expect(r.stdout).toContain('--base-path <path>');
    expect(r.stdout).toContain('Examples:');
  });

  it('prints its version', async () => {
    const pkg = JSON.parse(await fs.readFile(path.join(REPO, 'package.json'), 'utf8'));
    const r = await runCli(['--version'], { cwd: os.tmpdir() });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 on an unknown option', async () => {
    const r = await runCli(['--draft'], { cwd: os.tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--draft'");
    expect(r.stderr).toContain('--drafts');
  });

  it('builds a site and says what it wrote', async () => {
    const root = await makeSite(SIMPLE);
    const r = await runCli([], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Built 2 posts into dist\/: \d+ pages, \d+ files in [\d.]+ s\.\n$/);
    expect(await exists(path.join(root, 'dist/posts/hello/index.html'))).toBe(true);
  });

  it('prints nothing with --quiet and stage times with --verbose', async () => {
    const root = await makeSite(SIMPLE);
    expect((await runCli(['--quiet'], { cwd: root })).stdout).toBe('');
    const verbose = await runCli(['--verbose'], { cwd: root });
    expect(verbose.stdout).toMatch(/parse\s+\d+ ms/);
    expect(verbose.stdout).toMatch(/write\s+\d+ ms/);
  });

  it('exits 1 listing every content error, and keeps the previous output', async () => {
    const root = await makeSite(SIMPLE);
    expect((await runCli([], { cwd: root })).code).toBe(0);
    const before = await snapshot(path.join(root, 'dist'));
    await fs.writeFile(path.join(root, 'posts/bad.md'), '---\ntitle: [unclosed\ndate: 2024-01-01\n---\n');
    await fs.writeFile(path.join(root, 'posts/worse.md'), '---\ndate: 2024-13-01\n---\n');
    const r = await runCli([], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^posts\/bad\.md:\d+:\d+ {2}error {2}invalid YAML/m);
    expect(r.stderr).toMatch(/^posts\/worse\.md:2:1 {2}error {2}"date": "2024-13-01" is not a real calendar date {2}\[frontmatter\/date\]$/m);
    expect(r.stderr).toMatch(/^posts\/worse\.md:1:1 {2}error {2}the front matter has no "title"/m);
    expect(r.stderr).toContain('✖ 3 errors. Nothing was written: dist/ is unchanged.');
    expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
  });

  it.each([['.'], ['..'], ['posts'], ['posts/out'], ['static/x']])('refuses --out %s with exit 2 and deletes nothing', async (out) => {
    const root = await makeSite(SIMPLE);
    await fs.mkdir(path.join(root, 'static'), { recursive: true });
    const before = await snapshot(root);
    const r = await runCli(['--out', out], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to write the site into');
    expect(await snapshot(root)).toEqual(before);
  });

  it('refuses to replace a folder it did not write', async () => {
    const root = await makeSite({ ...SIMPLE, 'public/precious.txt': 'keep me' });
    const r = await runCli(['--out', 'public'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds files that gi-build did not write');
    expect(await fs.readFile(path.join(root, 'public/precious.txt'), 'utf8')).toBe('keep me');
  });

  it('exits 2 on a config error, naming file, line and column', async () => {
    const root = await makeSite({ ...SIMPLE, 'gi-build.config.json': '{\n  "title": "x",\n}\n' });
    const r = await runCli([], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gi-build\.config\.json:3:1: the config is not valid JSON/);
  });

  it('exits 2 on an unknown config key, suggesting the right one', async () => {
    const root = await makeSite({ ...SIMPLE, 'gi-build.config.json': JSON.stringify({ titel: 'x' }) });
    const r = await runCli([], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown config key "titel" (did you mean "title"?)');
  });

  it.each([
    ['plugins named as strings in JSON', { 'gi-build.config.json': JSON.stringify({ remarkPlugins: ['remark-toc'] }) }, '"remarkPlugins" must list plugin functions'],
    ['two config files', { 'gi-build.config.mjs': 'export default {}' }, 'the site has 2 config files'],
    ['a permalink that is not a folder', { 'gi-build.config.json': JSON.stringify({ permalink: '/posts/:slug.html' }) }, '"permalink" must contain :slug and end with /'],
    ['an unknown time zone', { 'gi-build.config.json': JSON.stringify({ timeZone: 'Mars/Olympus' }) }, '"timeZone" "Mars/Olympus" is not a time zone'],
    ['a bad base path', { 'gi-build.config.json': JSON.stringify({ basePath: '/a/../b/' }) }, 'base path "/a/../b/" is not a valid URL path'],
  ])('exits 2 on %s', async (_, files, expected) => {
    const root = await makeSite({ ...SIMPLE, ...files });
    const r = await runCli([], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(expected);
  });

  it('exits 2 when --root names a folder that does not exist, creating nothing', async () => {
    const parent = await makeSite({});
    const r = await runCli(['--root', 'nope'], { cwd: parent });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist');
    expect(await exists(path.join(parent, 'nope'))).toBe(false);
  });

  it('lets --no-drafts override drafts: true in the config', async () => {
    const root = await makeSite({ ...SIMPLE, 'gi-build.config.json': JSON.stringify({ drafts: true }), 'posts/d.md': post({ title: 'Draft', date: '2024-01-01', draft: true }) });
    expect((await runCli([], { cwd: root })).code).toBe(0);
    expect(await exists(path.join(root, 'dist/posts/d/index.html'))).toBe(true);
    expect((await runCli(['--no-drafts'], { cwd: root })).code).toBe(0);
    expect(await exists(path.join(root, 'dist/posts/d/index.html'))).toBe(false);
  });

  it('builds identical pages in any machine time zone', async () => {
    const root = await makeSite({
      ...SIMPLE,
      'posts/2024-03-31-dst.md': post({ title: 'DST day', date: '2024-03-31' }),
      'posts/2023-12-31-eve.md': post({ title: 'New year', date: '2023-12-31T23:30:00' }),
    });
    const honolulu = await runCli(['--out', 'out-honolulu'], { cwd: root, env: { TZ: 'Pacific/Honolulu' } });
    const tokyo = await runCli(['--out', 'out-tokyo'], { cwd: root, env: { TZ: 'Asia/Tokyo' } });
    expect(honolulu.code).toBe(0);
    expect(tokyo.code).toBe(0);
    const a = await snapshot(path.join(root, 'out-honolulu'));
    const b = await snapshot(path.join(root, 'out-tokyo'));
    expect(Object.keys(a).length).toBeGreaterThan(10);
    expect(a).toEqual(b);
    const page = await fs.readFile(path.join(root, 'out-tokyo/posts/world/index.html'), 'utf8');
    expect(page).toContain('<time datetime="2024-02-02T00:30:00+01:00">2 February 2024</time>');
    expect(await fs.readFile(path.join(root, 'out-tokyo/posts/dst/index.html'), 'utf8')).toContain('<time datetime="2024-03-31">31 March 2024</time>');
  });

  it('prefixes every root-relative href and src with --base-path', async () => {
    const root = await makeSite({
      ...SIMPLE,
      'gi-build.config.json': JSON.stringify({ title: 'Sub', nav: [{ text: 'About', url: '/about/' }], footerLinks: [{ text: 'Home', url: '/' }] }),
      'posts/2024-03-01-rooted.md': post({ title: 'Rooted', date: '2024-03-01', tags: ['x'] }, 'See [about](/about/) and [hello](2024-01-01-hello.md).'),
    });
    const r = await runCli(['--base-path', '/blog/', '--base-url', 'https://host.example'], { cwd: root });
    expect(r.code).toBe(0);
    const files = Object.keys(await snapshot(path.join(root, 'dist'))).filter((f) => f.endsWith('.html'));
    expect(files.length).toBeGreaterThan(8);
    let checked = 0;
    for (const file of files) {
      const html = await fs.readFile(path.join(root, 'dist', file), 'utf8');
      for (const m of html.matchAll(/\s(?:href|src|action)="(\/[^"]*)"/g)) {
        expect(m[1], `${file}: ${m[0]}`).toMatch(/^\/blog\//);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    const rooted = await fs.readFile(path.join(root, 'dist/posts/rooted/index.html'), 'utf8');
    expect(rooted).toContain('<a href="/blog/about/">about</a>');
    expect(rooted).toContain('<link rel="canonical" href="https://host.example/blog/posts/rooted/">');
    expect(await fs.readFile(path.join(root, 'dist/sitemap.xml'), 'utf8')).toContain('<loc>https://host.example/blog/posts/hello/</loc>');
  });

  it('builds the repository sample site without a single warning', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-sample-'));
    const r = await runCli(['--out', path.join(out, 'site')], { cwd: REPO });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const series = await fs.readFile(path.join(out, 'site/series/co-production-around-the-world/index.html'), 'utf8');
    expect(series.match(/class="post-card[ "]/g)?.length).toBeGreaterThanOrEqual(4);
  });
});

describe('gi-build stopped with Ctrl-C', () => {
  /** A site of 400 posts, built once, then with one post changed: a build from scratch takes a second or two. */
  async function builtSite() {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) {
      const day = `2023-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      files[`posts/${day}-p${i}.md`] = post({ title: `Post ${i}`, date: day, tags: [`t${i % 9}`] }, `Paragraph ${i} with *emphasis*.\n\n| a | b |\n|---|---|\n| ${i} | x |\n`.repeat(8));
    }
    const root = await makeSite(files);
    expect((await runCli([], { cwd: root })).code).toBe(0);
    const before = await snapshot(path.join(root, 'dist'));
    await fs.writeFile(path.join(root, 'posts/2023-01-01-p0.md'), post({ title: 'Post 0, changed', date: '2023-01-01' }, 'Changed.'));
    return { root, before };
  }

  it('exits 130 and leaves the previous output as it was, with no half-written folder', async () => {
    const { root, before } = await builtSite();
    // Every moment of a build from scratch: stopped early, in the middle, or not at all (a stop
    // that comes once the new site is in place lets the build end as usual).
    for (const after of [300, 900, 1500]) {
      const cli = spawnCli(['--clean'], { cwd: root });
      await new Promise((resolve) => setTimeout(resolve, after));
      await cli.stop();
      const code = await cli.exited;
      // -1: the signal came before gi-build had started, and ended the process as it does any other.
      expect([0, 130, -1]).toContain(code);
      expect((await fs.readdir(root)).filter((n) => n.includes('.new-') || n.includes('.old-'))).toEqual([]);
      if (code !== 0) expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
      else break;
    }
  });

  it('cleans up after a build killed outright: the next build from scratch removes the folder it was writing', async () => {
    const { root } = await builtSite();
    const leftovers = async () => (await fs.readdir(root)).filter((n) => n.startsWith('.dist.new-'));
    const cli = spawnCli(['--clean'], { cwd: root });
    // Killed (not stopped) once it has started writing into its fresh folder.
    const deadline = Date.now() + 30_000;
    while ((await leftovers()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    cli.kill();
    await cli.exited;
    expect(await leftovers()).toHaveLength(1);
    expect((await runCli(['--clean'], { cwd: root })).code).toBe(0);
    expect((await fs.readdir(root)).filter((n) => n.includes('.new-') || n.includes('.old-'))).toEqual([]);
  });

  it.each([
    ['from scratch', ['--watch', '--clean']],
    ['from the build cache', ['--watch']],
  ])('lets a watch whose first site is in place (built %s) write its search index before it stops', async (_, args) => {
    const { root } = await builtSite();
    const cli = spawnCli(args, { cwd: root });
    // The pages are in place; the search index, built in a worker, comes after them.
    await cli.waitFor(/first build: /, { timeout: 60_000 });
    expect(await cli.stop()).toBe(0);
    expect(await fs.readFile(path.join(root, 'dist/search/index.json'), 'utf8')).toContain('Post 0, changed');
    expect((await fs.readdir(root)).filter((n) => n.includes('.new-') || n.includes('.old-'))).toEqual([]);
    expect(cli.stdout()).not.toContain('Press Ctrl-C');
  });

  it('does the same during the first build of a watch', async () => {
    const { root, before } = await builtSite();
    for (const after of [300, 900, 1500]) {
      const cli = spawnCli(['--watch', '--clean'], { cwd: root });
      await new Promise((resolve) => setTimeout(resolve, after));
      const watching = cli.stdout().includes('Press Ctrl-C');
      await cli.stop();
      const code = await cli.exited;
      expect([0, 130, -1]).toContain(code);
      expect((await fs.readdir(root)).filter((n) => n.includes('.new-') || n.includes('.old-'))).toEqual([]);
      if (code !== 0) {
        expect(watching).toBe(false);
        expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
      } else {
        // Stopped once the new site was in place: it is whole, with the changed post, its search
        // index (written after the pages) included.
        expect(await fs.readFile(path.join(root, 'dist/posts/p0/index.html'), 'utf8')).toContain('Post 0, changed');
        expect(await fs.readFile(path.join(root, 'dist/search/index.json'), 'utf8')).toContain('Post 0, changed');
        break;
      }
    }
  });
});

describe('gi-build new', () => {
  it('writes a dated post with front matter that builds, and never overwrites', async () => {
    const root = await makeSite({ 'gi-build.config.json': JSON.stringify({ timeZone: 'Pacific/Kiritimati' }) });
    const r = await runCli(['new', 'Über uns: a "quoted" start'], { cwd: root });
    expect(r.code).toBe(0);
    const [name] = await fs.readdir(path.join(root, 'posts'));
    expect(name).toMatch(/^\d{4}-\d{2}-\d{2}-ueber-uns-a-quoted-start\.md$/);
    const text = await fs.readFile(path.join(root, 'posts', name!), 'utf8');
    expect(text).toContain('title: "Über uns: a \\"quoted\\" start"');
    expect(text).toContain(`date: ${name!.slice(0, 10)}`);
    const again = await runCli(['new', 'Über uns: a "quoted" start'], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(await fs.readFile(path.join(root, 'posts', name!), 'utf8')).toBe(text);
    const built = await runCli(['--future'], { cwd: root });
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
  });

  it('writes into the site named by --root, before or after the command', async () => {
    const parent = await makeSite({ 'site/gi-build.config.json': '{}' });
    expect((await runCli(['new', 'After', '--root', 'site'], { cwd: parent })).code).toBe(0);
    expect((await runCli(['--root', 'site', 'new', 'Before'], { cwd: parent })).code).toBe(0);
    const names = await fs.readdir(path.join(parent, 'site/posts'));
    expect(names.map((n) => n.slice(11)).sort()).toEqual(['after.md', 'before.md']);
    expect(await exists(path.join(parent, 'posts'))).toBe(false);
  });

  it('dates the post today in the site time zone', async () => {
    const root = await makeSite({ 'gi-build.config.json': JSON.stringify({ timeZone: 'Pacific/Kiritimati' }) });
    await runCli(['new', 'Zone test'], { cwd: root });
    const [name] = await fs.readdir(path.join(root, 'posts'));
    const expected = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    expect(name!.slice(0, 10)).toBe(expected);
  });
});

describe('gi-build init', () => {
  it('creates a site that builds, and refuses to run twice', async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-init-'));
    const r = await runCli(['init', 'my-blog'], { cwd: parent });
    expect(r.code).toBe(0);
    const root = path.join(parent, 'my-blog');
    expect(await fs.readFile(path.join(root, '.gitignore'), 'utf8')).toContain('dist/');
    expect(await fs.readFile(path.join(root, '.gitignore'), 'utf8')).toContain('.gi-cache/');
    const built = await runCli([], { cwd: root });
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(await exists(path.join(root, 'dist/about/index.html'))).toBe(true);
    const again = await runCli(['init', 'my-blog'], { cwd: parent });
    expect(again.code).toBe(2);
  });
});
