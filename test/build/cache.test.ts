import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir, loadCache } from '../../src/build/cache.js';
import { buildWithCache } from '../../src/build/cached.js';
import { build, BUILTIN_TEMPLATES, VERSION, type BuildResult } from '../../src/build/index.js';
import { loadConfig } from '../../src/config/resolve.js';
import { startSearchWorker, type SearchWorker } from '../../src/search/worker.js';
import { buildSite, makeSite, NOW, post, readOut, runCli, snapshot, writeFiles } from '../helpers/site.js';

const SITE = {
  'gi-build.config.json': JSON.stringify({ title: 'Cached', postsPerPage: 2 }),
  'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01', tags: ['a'], series: 'S' }, 'Body one about tenants.'),
  'posts/2024-02-01-two.md': post({ title: 'Two', date: '2024-02-01', tags: ['a', 'b'], series: 'S' }, 'Body two links to [one](2024-01-01-one.md).'),
  'posts/2024-03-01-three.md': post({ title: 'Three', date: '2024-03-01', tags: ['b'], author: 'Ann' }, 'Body three about councils.'),
  'pages/about.md': post({ title: 'About' }, 'About us.'),
  'static/file.txt': 'v1',
};

/** One run of gi-build as the command line does it: the state comes from the cache on disk only. */
async function run(root: string, flags: { clean?: boolean; out?: string } = {}): Promise<BuildResult> {
  const config = await loadConfig({ root, out: flags.out }, root);
  return buildWithCache(config, { now: NOW }, { dir: cacheDir(root), clean: flags.clean });
}

/** The same sources built without any cache into another folder. */
async function uncached(root: string): Promise<Record<string, string>> {
  const r = await buildSite(root, { out: 'dist-uncached' });
  expect(r.ok).toBe(true);
  return snapshot(path.join(root, 'dist-uncached'));
}

describe('the build cache (.gi-cache/)', () => {
  it('lets a second run parse, render and write nothing when nothing changed', async () => {
    const root = await makeSite(SITE);
    const first = await run(root);
    expect(first.counts.parsed).toBe(4);
    const second = await run(root);
    expect(second.messages).toEqual([]);
    expect(second.counts).toMatchObject({ parsed: 0, rendered: 0, written: [], removed: [], searchIndexed: false });
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('re-parses exactly an edited post in the next run, and gives what an uncached build gives', async () => {
    const root = await makeSite(SITE);
    await run(root);
    await writeFiles(root, { 'posts/2024-03-01-three.md': post({ title: 'Three', date: '2024-03-01', tags: ['b'], author: 'Ann' }, 'Body three, now about zebras.') });
    const r = await run(root);
    expect(r.counts.parsed).toBe(1);
    expect(r.counts.searchIndexed).toBe(true);
    expect(await readOut(root, 'search/index.json')).toContain('zebra');
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('renders every page again when the site view changes with one post (the copyright years)', async () => {
    const root = await makeSite(SITE);
    await run(root);
    expect(await readOut(root, 'about/index.html')).toMatch(/©[^<]*, 2024</);
    await writeFiles(root, { 'posts/2024-03-01-three.md': post({ title: 'Three', date: '2025-03-01', tags: ['b'], author: 'Ann' }, 'Body three about councils.') });
    const r = await run(root);
    expect(r.counts.parsed).toBe(1);
    expect(await readOut(root, 'about/index.html')).toMatch(/©[^<]*, 2025</);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('does not parse a file again whose bytes are unchanged, even when its time changed', async () => {
    const root = await makeSite(SITE);
    await run(root);
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(root, 'posts/2024-01-01-one.md'), later, later);
    expect((await run(root)).counts.parsed).toBe(0);
  });

  it('re-renders every page without re-parsing when a template changes', async () => {
    const root = await makeSite(SITE);
    const first = await run(root);
    const base = await fs.readFile(path.join(BUILTIN_TEMPLATES, 'layouts/base.hbs'), 'utf8');
    await writeFiles(root, { 'templates/layouts/base.hbs': base.replace('</body>', '<p>changed theme</p></body>') });
    const r = await run(root);
    expect(r.counts.parsed).toBe(0);
    expect(r.counts.rendered).toBe(first.stats.pages);
    expect(await readOut(root, 'posts/one/index.html')).toContain('changed theme');
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('rebuilds everything when the config changes', async () => {
    const root = await makeSite(SITE);
    await run(root);
    await writeFiles(root, { 'gi-build.config.json': JSON.stringify({ title: 'Cached, renamed', postsPerPage: 2 }) });
    const r = await run(root);
    expect(r.counts.parsed).toBe(4);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('writes every file again when another build replaced the output folder meanwhile', async () => {
    const root = await makeSite(SITE);
    await run(root);
    // An uncached build swaps in a whole new dist/: the cache's record of its files no longer holds.
    await buildSite(root);
    await fs.writeFile(path.join(root, 'dist/posts/one/index.html'), 'tampered');
    await fs.rm(path.join(root, 'dist'), { recursive: true });
    const r = await run(root);
    expect(r.ok).toBe(true);
    expect(r.counts.parsed).toBe(0);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  for (const [what, damage] of [
    ['state.json is not JSON', (dir: string) => fs.writeFile(path.join(dir, 'state.json'), '{"format": 1, "sour')],
    ['state.json has another shape', async (dir: string) => {
      const state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8'));
      await fs.writeFile(path.join(dir, 'state.json'), JSON.stringify({ ...state, sources: 7 }));
    }],
    ['state.json comes from another format', (dir: string) => fs.writeFile(path.join(dir, 'state.json'), JSON.stringify({ format: 99 }))],
    ['terms.bin is damaged', async (dir: string) => {
      const bytes = await fs.readFile(path.join(dir, 'terms.bin'));
      await fs.writeFile(path.join(dir, 'terms.bin'), bytes.subarray(0, bytes.length - 6));
    }],
    ['a content file is missing', async (dir: string) => fs.rm(path.join(dir, 'content', (await fs.readdir(path.join(dir, 'content')))[0]!))],
    ['a content file is damaged', async (dir: string) => fs.writeFile(path.join(dir, 'content', (await fs.readdir(path.join(dir, 'content')))[0]!), '{"html": 3}')],
  ] as const) {
    it(`warns and builds correctly when ${what}`, async () => {
      const root = await makeSite(SITE);
      await run(root);
      await damage(cacheDir(root));
      // Changes that need all of the cache: every page is rendered again, and the index is rebuilt.
      await writeFiles(root, {
        'templates/partials/footer.hbs': '<footer>changed</footer>',
        'posts/2024-03-01-three.md': post({ title: 'Three', date: '2024-03-01', tags: ['b'], author: 'Ann' }, 'Body three, now about zebras.'),
      });
      const r = await run(root);
      expect(r.ok).toBe(true);
      expect(r.messages).toEqual([expect.objectContaining({ severity: 'warning', rule: 'cache/discarded' })]);
      expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
      // The cache written by that build is whole again.
      expect((await run(root)).messages).toEqual([]);
    });
  }

  it('is ignored with --clean, and written afresh', async () => {
    const root = await makeSite(SITE);
    await runCli([], { cwd: root });
    const clean = await runCli(['--clean', '--verbose'], { cwd: root });
    expect(clean.code).toBe(0);
    expect(await run(root)).toMatchObject({ counts: { parsed: 0 } });
    expect((await run(root, { clean: true })).counts.parsed).toBe(4);
  });
});

/** A PNG file whose header gives the size (all an image's size is read from). */
function png(width: number, height: number): Buffer {
  const bytes = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

/** The site's cached state, as far as these tests change it. */
type CachedState = Record<string, unknown> & { search: { key: string }; outcome: Record<string, unknown> };

/** Changes the site's cached state. */
async function changeState(root: string, change: (state: CachedState) => unknown): Promise<void> {
  const file = path.join(cacheDir(root), 'state.json');
  await fs.writeFile(file, JSON.stringify(change(JSON.parse(await fs.readFile(file, 'utf8')))));
}

/** Changes fields of the outcome in the site's cached state. */
function changeOutcome(root: string, fields: Record<string, unknown>): Promise<void> {
  return changeState(root, (state) => ({ ...state, outcome: { ...state.outcome, ...fields } }));
}

describe('a run that finds every input as the last successful build did', () => {
  const at = async (root: string, now: number) => buildWithCache(await loadConfig({ root }, root), { now }, { dir: cacheDir(root) });

  it('leaves the output as it stands without planning or rendering, and reports what that build reported', async () => {
    const root = await makeSite({ ...SITE, 'posts/2024-04-01-four.md': post({ title: 'Four', date: '2024-04-01' }, 'Links to [a missing post](2020-01-01-gone.md).') });
    const first = await run(root);
    expect(first.messages).toContainEqual(expect.objectContaining({ rule: 'link/missing-post' }));
    const second = await run(root);
    expect(second.timings.map((t) => t.stage)).toEqual(['discover', 'parse', 'write']);
    expect(second.messages).toEqual(first.messages);
    expect(second.stats).toEqual(first.stats);
    expect(second.sources).toEqual(first.sources);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
    // A file saved again with the same bytes changes nothing either.
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(root, 'posts/2024-01-01-one.md'), later, later);
    expect((await run(root)).timings.map((t) => t.stage)).toEqual(['discover', 'parse', 'write']);
  });

  it('publishes a post whose date has come since', async () => {
    const due = Date.UTC(2027, 0, 1);
    const root = await makeSite({ ...SITE, 'posts/2027-01-01-soon.md': post({ title: 'Soon', date: '2027-01-01' }, 'Not yet.') });
    await at(root, due - 1);
    await at(root, due - 1);
    await expect(readOut(root, 'posts/soon/index.html')).rejects.toThrow();
    const r = await at(root, due);
    expect(r.timings.map((t) => t.stage)).toContain('render');
    expect(await readOut(root, 'posts/soon/index.html')).toContain('Not yet.');
    expect(await readOut(root, 'index.html')).toContain('Soon');
  });

  it('leaves out again a post whose date is ahead of a clock that went back', async () => {
    const due = Date.UTC(2027, 0, 1);
    const root = await makeSite({ ...SITE, 'posts/2027-01-01-soon.md': post({ title: 'Soon', date: '2027-01-01' }, 'Not yet.') });
    await at(root, due);
    expect(await readOut(root, 'posts/soon/index.html')).toContain('Not yet.');
    const r = await at(root, due - 1);
    expect(r.stats.posts).toBe(3);
    await expect(readOut(root, 'posts/soon/index.html')).rejects.toThrow();
    expect(await readOut(root, 'index.html')).not.toContain('Soon');
  });

  it('copies a static file changed since, and takes in the robots.txt lines changed since', async () => {
    const root = await makeSite({ ...SITE, 'static/robots.txt': 'Disallow: /drafts/\n' });
    await run(root);
    await writeFiles(root, { 'static/file.txt': 'v2', 'static/robots.txt': 'Disallow: /private/\n' });
    await run(root);
    expect(await readOut(root, 'file.txt')).toBe('v2');
    expect(await readOut(root, 'robots.txt')).toContain('Disallow: /private/');
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('measures an image again when its file changes, and sizes it anew on the page', async () => {
    const root = await makeSite({
      ...SITE,
      'posts/2024-04-01-four/index.md': post({ title: 'Four', date: '2024-04-01' }, '![A chart](chart.png)'),
      'posts/2024-04-01-four/chart.png': png(40, 30),
    });
    await run(root);
    expect(await readOut(root, 'posts/four/index.html')).toMatch(/width="40" height="30"/);
    await writeFiles(root, { 'posts/2024-04-01-four/chart.png': png(80, 60) });
    await run(root);
    expect(await readOut(root, 'posts/four/index.html')).toMatch(/width="80" height="60"/);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('after an edit that keeps every post in its place, renders the pages that show the post, as a full build does', async () => {
    // A theme that shows every card's summary and word count on the archive, and each post's on its own page.
    const archive = '{{#each years}}{{#each posts}}<p>{{title}}: {{summary}} ({{wordCount}} words)</p>{{/each}}{{/each}}';
    const root = await makeSite({ ...SITE, 'templates/layouts/archive.hbs': archive });
    await run(root);
    await writeFiles(root, { 'posts/2024-03-01-three.md': post({ title: 'Three', date: '2024-03-01', tags: ['b'], author: 'Ann', summary: 'A new summary.' }, 'Body three, now about zebras and more.') });
    const r = await run(root);
    expect(r.counts.parsed).toBe(1);
    expect(await readOut(root, 'archive/index.html')).toContain('Three: A new summary. (7 words)');
    // Pages that show the post (its own, the listings it is on), and no others.
    expect(r.counts.written).toEqual(expect.arrayContaining(['posts/three/index.html', 'index.html', 'archive/index.html', 'tags/b/index.html', 'authors/ann/index.html']));
    expect(r.counts.written).not.toContain('posts/one/index.html');
    expect(r.counts.written).not.toContain('tags/a/index.html');
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  for (const [what, damage] of [
    ['a field of another kind', (root: string) => changeOutcome(root, { copies: 'not a list' })],
    ['lists of other items', (root: string) => changeOutcome(root, { copies: [null], sources: [1] })],
    ['messages of another shape', (root: string) => changeOutcome(root, { messages: [{ x: 1 }, { y: 2 }] })],
    ['figures missing', (root: string) => changeOutcome(root, { stats: {} })],
    ['an index without its sizes', (root: string) => changeState(root, (state) => ({ ...state, search: { key: state.search.key } }))],
  ] as const) {
    it(`builds in full, and correctly, on a cached outcome with ${what}`, async () => {
      const root = await makeSite(SITE);
      await run(root);
      await damage(root);
      const r = await run(root);
      expect(r.ok).toBe(true);
      expect(r.messages).toEqual([]);
      expect(r.timings.map((t) => t.stage)).toContain('render');
      expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
    });
  }

  it('builds in full when the search index on disk is not the one the last build called for', async () => {
    const root = await makeSite(SITE);
    await run(root);
    // As a watch session leaves it when stopped before its worker wrote the index.
    await changeOutcome(root, { searchKey: 'another' });
    expect((await run(root)).timings.map((t) => t.stage)).toContain('render');
  });
});

describe('the search worker of a build', () => {
  /** A build's events in order: the search worker asked for, every source parsed. */
  async function events(root: string, previous?: BuildResult['state']): Promise<{ seen: string[]; result: BuildResult }> {
    const config = await loadConfig({ root }, root);
    const seen: string[] = [];
    let worker: SearchWorker | undefined;
    const result = await build(config, {
      now: NOW,
      previous,
      onProgress: (done, total) => done === total && seen.push('parsed'),
      searchWorker: () => {
        if (!worker) seen.push('worker');
        return (worker ??= startSearchWorker());
      },
    });
    await worker?.close();
    return { seen, result };
  }

  it('starts after parsing in a first build, which has no cached terms to read meanwhile, and before it in a rebuild', async () => {
    const root = await makeSite(SITE);
    const first = await events(root);
    expect(first.seen).toEqual(['parsed', 'worker']);
    await writeFiles(root, { 'posts/2024-03-01-three.md': post({ title: 'Three', date: '2024-03-01', tags: ['b'], author: 'Ann' }, 'Body three, edited.') });
    expect((await events(root, first.result.state)).seen).toEqual(['worker', 'parsed']);
  });
});

describe('the build cache when things go wrong', () => {
  it('does not trust an output folder that a build changed in place without saving the cache', async () => {
    const root = await makeSite(SITE);
    await run(root);
    const original = await fs.readFile(path.join(root, 'posts/2024-03-01-three.md'), 'utf8');
    // A watch session that is killed: it updates dist/ in place, and never saves the cache.
    await writeFiles(root, { 'posts/2024-03-01-three.md': post({ title: 'Three', date: '2024-03-01', tags: ['b'], author: 'Ann' }, 'Killed before saving.') });
    const config = await loadConfig({ root }, root);
    const loaded = await loadCache(config, { dir: cacheDir(root) }, VERSION);
    expect((await build(config, { now: NOW, previous: loaded.state })).ok).toBe(true);
    expect(await readOut(root, 'posts/three/index.html')).toContain('Killed before saving.');
    // The file goes back to what the cache knows: the next run must still rewrite the page.
    await fs.writeFile(path.join(root, 'posts/2024-03-01-three.md'), original);
    expect((await run(root)).ok).toBe(true);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('builds, with a warning, when every content file is cut short: with and without --clean', async () => {
    for (const clean of [false, true]) {
      const root = await makeSite(SITE);
      await run(root);
      const dir = path.join(cacheDir(root), 'content');
      for (const name of await fs.readdir(dir)) await fs.writeFile(path.join(dir, name), '{"html": "<p>cut');
      await fs.rm(path.join(root, 'dist'), { recursive: true });
      const r = await run(root, { clean });
      expect(r.ok).toBe(true);
      if (!clean) expect(r.messages).toEqual([expect.objectContaining({ rule: 'cache/discarded' })]);
      expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
      expect(await fs.readdir(root)).not.toContainEqual(expect.stringMatching(/\.new-|\.old-/));
    }
  });

  it('rebuilds the search index when a damaged post content must be sent to the search worker', async () => {
    const root = await makeSite(SITE);
    await run(root);
    const dir = path.join(cacheDir(root), 'content');
    for (const name of await fs.readdir(dir)) await fs.writeFile(path.join(dir, name), 'not json');
    await fs.rm(path.join(cacheDir(root), 'terms.bin'));
    await writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01', tags: ['a'], series: 'S' }, 'Body one, edited.') });
    const r = await run(root);
    expect(r.ok).toBe(true);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('builds with a warning when the cache cannot be written', async () => {
    const root = await makeSite(SITE);
    await fs.writeFile(cacheDir(root), 'a file where the cache folder would be');
    const r = await run(root);
    expect(r.ok).toBe(true);
    expect(r.messages).toContainEqual(expect.objectContaining({ severity: 'warning', rule: 'cache/write' }));
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
  });

  it('leaves nothing of an old cache to --clean, search terms included', async () => {
    const root = await makeSite(SITE);
    await run(root);
    await fs.writeFile(path.join(cacheDir(root), 'terms.bin'), 'old terms');
    const r = await run(root, { clean: true });
    expect(r.messages).toEqual([]);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(await uncached(root));
    expect((await run(root)).messages).toEqual([]);
  });
});
