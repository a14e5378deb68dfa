import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build/index.js';
import { loadConfig } from '../../src/config/resolve.js';
import { makeSite, NOW, post, readOut, snapshot, writeFiles } from '../helpers/site.js';

const SITE = {
  'gi-build.config.json': JSON.stringify({ title: 'Incremental', postsPerPage: 2 }),
  'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01', tags: ['a'], series: 'S', summary: 'First.' }, 'Body one.'),
  'posts/2024-02-01-two.md': post({ title: 'Two', date: '2024-02-01', tags: ['a', 'b'], series: 'S', summary: 'Second.' }, 'Body two links to [one](2024-01-01-one.md).'),
  'posts/2024-03-01-three.md': post({ title: 'Three', date: '2024-03-01', tags: ['b'], author: 'Ann', summary: 'Third.' }, 'Body three.'),
  'posts/2024-04-01-four.md': post({ title: 'Four', date: '2024-04-01', summary: 'Fourth.' }, 'Body four.'),
  'pages/about.md': post({ title: 'About' }, 'About.'),
  'static/file.txt': 'v1',
};

/** A site plus a `rebuild` that passes the previous state along, as watch mode does. */
async function session(files: Record<string, string> = SITE) {
  const root = await makeSite(files);
  const config = await loadConfig({ root }, root);
  let last: BuildResult = await build(config, { now: NOW });
  expect(last.ok).toBe(true);
  return {
    root,
    config,
    async rebuild(changes?: Parameters<typeof build>[1]['changes'], cfg = config) {
      last = await build(cfg, { now: NOW, previous: last.state, changes });
      return last;
    },
  };
}

/** A full build of the same sources into another folder, for comparison. */
async function fullBuild(root: string): Promise<Record<string, string>> {
  const config = await loadConfig({ root, out: 'dist-full' }, root);
  expect((await build(config, { now: NOW })).ok).toBe(true);
  return snapshot(path.join(root, 'dist-full'));
}

describe('rebuilds with the previous state', () => {
  it('do nothing when nothing changed', async () => {
    const s = await session();
    const r = await s.rebuild();
    expect(r.counts).toMatchObject({ parsed: 0, rendered: 0, written: [], removed: [], searchIndexed: false });
  });

  it('re-parse only an edited post and re-render only the pages whose content changed', async () => {
    const s = await session();
    await writeFiles(s.root, { 'posts/2024-03-01-three.md': post({ title: 'Three', date: '2024-03-01', tags: ['b'], author: 'Ann', summary: 'Third.' }, 'Body 3.') });
    const r = await s.rebuild({ sources: new Set(['posts/2024-03-01-three.md']) });
    expect(r.counts.parsed).toBe(1);
    // Only the post's own page shows its body; listings show the unchanged summary and word count.
    expect(r.counts.rendered).toBe(1);
    expect(r.counts.written.sort()).toEqual(['feed.json', 'feed.xml', 'posts/three/index.html', 'rss.xml', 'search/index.json']);
    expect(r.counts.searchIndexed).toBe(true);
    expect(await fullBuild(s.root)).toEqual(await snapshot(path.join(s.root, 'dist')));
  });

  it('re-render every page that shows a changed title: listings, neighbours, series, tags, archive', async () => {
    const s = await session();
    await writeFiles(s.root, { 'posts/2024-02-01-two.md': post({ title: 'Two renamed', date: '2024-02-01', tags: ['a', 'b'], series: 'S', summary: 'Second.' }, 'Body two links to [one](2024-01-01-one.md).') });
    const r = await s.rebuild();
    expect(r.counts.parsed).toBe(1);
    const written = r.counts.written.filter((f) => f.endsWith('.html')).sort();
    expect(written).toEqual([
      'archive/index.html', 'page/2/index.html', 'posts/one/index.html', 'posts/three/index.html', 'posts/two/index.html',
      'series/s/index.html', 'tags/a/index.html', 'tags/b/index.html',
    ]);
    expect(await fullBuild(s.root)).toEqual(await snapshot(path.join(s.root, 'dist')));
  });

  it('re-render all pages without re-parsing when a template changes', async () => {
    const s = await session();
    await writeFiles(s.root, { 'templates/partials/footer.hbs': '<footer>New footer</footer>' });
    const r = await s.rebuild({ templates: true });
    expect(r.counts.parsed).toBe(0);
    expect(r.counts.rendered).toBe(r.stats.pages);
    expect(await fs.readFile(path.join(s.root, 'dist/posts/one/index.html'), 'utf8')).toContain('<footer>New footer</footer>');
  });

  it('rebuild everything when the config changes', async () => {
    const s = await session();
    await writeFiles(s.root, { 'gi-build.config.json': JSON.stringify({ title: 'Renamed', postsPerPage: 2 }) });
    const changed = await loadConfig({ root: s.root }, s.root);
    const r = await s.rebuild(undefined, changed);
    expect(r.counts.parsed).toBe(5);
    expect(r.counts.rendered).toBe(r.stats.pages);
  });

  it('copy only a changed static file', async () => {
    const s = await session();
    await writeFiles(s.root, { 'static/file.txt': 'version 2' });
    const r = await s.rebuild();
    expect(r.counts).toMatchObject({ parsed: 0, rendered: 0, written: ['file.txt'], removed: [] });
    expect(await fs.readFile(path.join(s.root, 'dist/file.txt'), 'utf8')).toBe('version 2');
  });

  it('remove a deleted post from its page, every listing, the feeds, the sitemap and the search index', async () => {
    const s = await session();
    await fs.rm(path.join(s.root, 'posts/2024-03-01-three.md'));
    const r = await s.rebuild();
    expect(r.counts.removed.sort()).toEqual(['authors/ann/index.html', 'posts/three/index.html']);
    const dist = await snapshot(path.join(s.root, 'dist'));
    for (const [file, contents] of Object.entries(dist)) {
      if (file.endsWith('.gi-build')) continue;
      expect(Buffer.from(contents, 'base64').toString('utf8'), file).not.toContain('Three');
    }
    expect(await fullBuild(s.root)).toEqual(dist);
  });

  it('keep the last good output after a failed rebuild, and recover when fixed', async () => {
    const s = await session();
    const before = await snapshot(path.join(s.root, 'dist'));
    await writeFiles(s.root, { 'posts/2024-01-01-one.md': '---\ntitle: [broken\n---\n' });
    expect((await s.rebuild()).ok).toBe(false);
    expect(await snapshot(path.join(s.root, 'dist'))).toEqual(before);
    await writeFiles(s.root, { 'posts/2024-01-01-one.md': post({ title: 'One fixed', date: '2024-01-01', tags: ['a'], series: 'S', summary: 'First.' }, 'Body one.') });
    const r = await s.rebuild();
    expect(r.ok).toBe(true);
    expect(r.counts.parsed).toBe(1);
    expect(await fullBuild(s.root)).toEqual(await snapshot(path.join(s.root, 'dist')));
  });

  it('recover from a broken template without keeping its stale compiled version', async () => {
    const s = await session();
    await writeFiles(s.root, { 'templates/partials/footer.hbs': '<footer>{{#if x}}</footer>' });
    expect((await s.rebuild({ templates: true })).ok).toBe(false);
    await writeFiles(s.root, { 'posts/2024-04-01-four.md': post({ title: 'Four', date: '2024-04-01', summary: 'Fourth.' }, 'Body four, edited.') });
    expect((await s.rebuild({ sources: new Set(['posts/2024-04-01-four.md']) })).ok).toBe(false);
    await writeFiles(s.root, { 'templates/partials/footer.hbs': '<footer>Fixed</footer>' });
    const r = await s.rebuild({ templates: true });
    expect(r.ok).toBe(true);
    expect(await fullBuild(s.root)).toEqual(await snapshot(path.join(s.root, 'dist')));
  });

  it('produce exactly what a full build produces after a series of changes', async () => {
    const s = await session();
    await writeFiles(s.root, { 'posts/2024-05-01-five.md': post({ title: 'Five', date: '2024-05-01', tags: ['c'] }, 'New post.') });
    await s.rebuild();
    await fs.rename(path.join(s.root, 'posts/2024-01-01-one.md'), path.join(s.root, 'posts/2024-01-01-uno.md'));
    await s.rebuild();
    await writeFiles(s.root, { 'pages/about.md': post({ title: 'About us' }, 'Changed.'), 'static/new.txt': 'new' });
    await fs.rm(path.join(s.root, 'static/file.txt'));
    const r = await s.rebuild();
    expect(r.ok).toBe(true);
    expect(await fullBuild(s.root)).toEqual(await snapshot(path.join(s.root, 'dist')));
  });
});

describe('the page of an edited post, written ahead of the rebuild', () => {
  const THREE = { title: 'Three', date: '2024-03-01', tags: ['b'], author: 'Ann', summary: 'Third.' };
  const edit = (s: { root: string }, front: Record<string, unknown>, body: string) => writeFiles(s.root, { 'posts/2024-03-01-three.md': post(front, body) });
  const changes = { sources: new Set(['posts/2024-03-01-three.md']) };

  it('goes out first when only what the post shows on its own page changed, and equals a full build', async () => {
    const s = await session();
    await edit(s, { ...THREE, summary: 'A new summary.', extra: 'x' }, 'A longer body that links to [one](2024-01-01-one.md), as two does.');
    const r = await s.rebuild(changes);
    expect(r.counts).toMatchObject({ ahead: 1, parsed: 1 });
    expect(r.counts.written).toContain('posts/three/index.html');
    expect(await readOut(s.root, 'posts/three/index.html')).toContain('A longer body');
    // The summary shows in listings: they follow in the same rebuild.
    expect(await readOut(s.root, 'index.html')).toContain('A new summary.');
    expect(await fullBuild(s.root)).toEqual(await snapshot(path.join(s.root, 'dist')));
  });

  for (const [what, front, body] of [
    ['a new title', { ...THREE, title: 'Three, renamed' }, 'Body three.'],
    ['a new date', { ...THREE, date: '2024-01-15' }, 'Body three.'],
    ['a new tag', { ...THREE, tags: ['b', 'c'] }, 'Body three.'],
    ['a series joined', { ...THREE, series: 'S' }, 'Body three.'],
    ['a link to a page nothing linked to before', THREE, 'See [four](2024-04-01-four.md).'],
    ['a link that is broken', THREE, 'See [nothing](2099-01-01-none.md).'],
    ['a front matter error', { ...THREE, date: 'soon' }, 'Body three.'],
  ] as const) {
    it(`waits for the plan after ${what}, with the same result as a full build`, async () => {
      const s = await session();
      await edit(s, front, body);
      const r = await s.rebuild(changes);
      expect(r.counts.ahead).toBe(0);
      if (r.ok) expect(await fullBuild(s.root)).toEqual(await snapshot(path.join(s.root, 'dist')));
      else expect(r.messages.some((m) => m.file === 'posts/2024-03-01-three.md' && m.severity === 'error')).toBe(true);
    });
  }

  it('waits for the plan once a future post has become due, since the order of posts changed', async () => {
    const root = await makeSite({ ...SITE, 'posts/2024-03-15-later.md': post({ title: 'Later', date: '2024-03-15' }, 'Not yet.') });
    const config = await loadConfig({ root }, root);
    const before = Date.parse('2024-03-10T00:00:00Z');
    const first = await build(config, { now: before });
    expect(await readOut(root, 'posts/three/index.html')).not.toContain('Later');
    await writeFiles(root, { 'posts/2024-03-01-three.md': post(THREE, 'Body 3.') });
    const r = await build(config, { now: Date.parse('2024-03-20T00:00:00Z'), previous: first.state, changes });
    expect(r.counts.ahead).toBe(0);
    // Three's newer neighbour is now the post that became due.
    expect(await readOut(root, 'posts/three/index.html')).toContain('Later');
  });
});

describe('a rebuild after a first build that failed', () => {
  it('removes pages of posts deleted meanwhile, like a full build', async () => {
    const root = await makeSite(SITE);
    const config = await loadConfig({ root }, root);
    expect((await build(config, { now: NOW })).ok).toBe(true);
    // A new session: the post is gone and another is broken, so the first build fails.
    await fs.rm(path.join(root, 'posts/2024-03-01-three.md'));
    await writeFiles(root, { 'posts/2024-04-01-four.md': '---\ntitle: Four\ndate: notadate\n---\n' });
    const failed = await build(config, { now: NOW });
    expect(failed.ok).toBe(false);
    await writeFiles(root, { 'posts/2024-04-01-four.md': post({ title: 'Four', date: '2024-04-01', summary: 'Fourth.' }, 'Body four.') });
    const fixed = await build(config, { now: NOW, previous: failed.state });
    expect(fixed.ok).toBe(true);
    expect(await fullBuild(root)).toEqual(await snapshot(path.join(root, 'dist')));
  });
});
