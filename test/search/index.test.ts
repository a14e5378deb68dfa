import fs from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite, makeSite, post } from '../helpers/site.js';

/** Loads the built site's own browser files (lunr.min.js, search-core.js) into a fresh sandbox, as a page would. */
async function browserSearch(dist: string) {
  const sandbox: Record<string, unknown> = {};
  sandbox.window = sandbox;
  const context = vm.createContext(sandbox);
  vm.runInContext(await fs.readFile(path.join(dist, 'assets/lunr.min.js'), 'utf8'), context);
  vm.runInContext(await fs.readFile(path.join(dist, 'assets/search-core.js'), 'utf8'), context);
  const data = JSON.parse(await fs.readFile(path.join(dist, 'search/index.json'), 'utf8'));
  const lunr = sandbox.lunr as { Index: { load: (j: unknown) => unknown } };
  const idx = lunr.Index.load(data.index);
  const query = sandbox.giSearchQuery as (l: unknown, i: unknown, p: unknown, q: string) => { ref: string; terms: string[]; words: number }[];
  return {
    data,
    titles: (q: string) => query(lunr, idx, sandbox.giSearchPipeline, q).map((h) => data.docs[h.ref].title as string),
    hits: (q: string) => query(lunr, idx, sandbox.giSearchPipeline, q),
  };
}

describe('the search index (English site under a base path)', () => {
  let search: Awaited<ReturnType<typeof browserSearch>>;
  beforeAll(async () => {
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ basePath: '/blog/', language: 'en' }),
      'posts/2024-01-01-cafe.md': post({ title: 'Meeting at the café', date: '2024-01-01', tags: ['community'] }, 'We met in a small café to plan the day.'),
      'posts/2024-01-02-cliches.md': post({ title: 'Clichéd phrases', date: '2024-01-02' }, 'Some words are tired.'),
      'posts/2024-01-03-peace.md': post({ title: 'Peace', date: '2024-01-03' }, 'Мир и труд: a note on the Russian words for peace and work.'),
      'posts/2024-01-04-housing.md': post({ title: 'Tenants design housing', date: '2024-01-04', author: 'Daniel Okafor', series: 'Around the World' }, 'Tenants and architects worked together on repairs.'),
      'posts/2024-01-05-repairs.md': post({ title: 'Repairs budget', date: '2024-01-05' }, 'Only about repairs and money.'),
      'posts/2024-01-06-horse.md': post({ title: 'The horse', date: '2024-01-06' }, 'A horse in the field.'),
      'posts/2024-01-07-house.md': post({ title: 'The house', date: '2024-01-07' }, 'A house in the town.'),
      'posts/2024-01-08-secret.md': post({ title: 'Secret plans', date: '2024-01-08', draft: true }, 'zebracrossing'),
      'posts/2099-01-01-future.md': post({ title: 'Future plans', date: '2099-01-01' }, 'zebracrossing'),
      'pages/about.md': post({ title: 'About us' }, 'We are a network.'),
    });
    const result = await buildSite(root);
    expect(result.messages).toEqual([]);
    search = await browserSearch(path.join(root, 'dist'));
  });

  it('is in the public format with short refs and base-path URLs', () => {
    const { data } = search;
    expect(data.version).toBe(1);
    expect(data.lunr).toBe('2.3.9');
    expect(Object.keys(data.docs)).toHaveLength(8);
    for (const [ref, doc] of Object.entries<{ url: string; title: string; summary: string }>(data.docs)) {
      expect(ref.length).toBeLessThanOrEqual(3);
      expect(doc.url).toMatch(/^\/blog\//);
      expect(typeof doc.summary).toBe('string');
    }
    expect(Object.values<{ date: string | null; dateText: string; url: string }>(data.docs).find((d) => d.url === '/blog/posts/cafe/')).toMatchObject({ date: '2024-01-01', dateText: '1 January 2024' });
  });

  it('folds accents both ways', () => {
    expect(search.titles('cafe')).toContain('Meeting at the café');
    expect(search.titles('café')).toContain('Meeting at the café');
    expect(search.titles('cliched')).toContain('Clichéd phrases');
  });

  it('indexes letters of every script', () => {
    expect(search.titles('мир')).toEqual(['Peace']);
    expect(search.titles('Мир')).toEqual(['Peace']);
  });

  it('matches the word being typed by prefix', () => {
    expect(search.titles('tena')).toContain('Tenants design housing');
    expect(search.titles('tena ')).not.toContain('Tenants design housing');
  });

  it('tolerates a one-letter typo in a long word, ranked below exact matches', () => {
    expect(search.titles('housign')).toContain('Tenants design housing');
    expect(search.titles('tennants')).toContain('Tenants design housing');
    const house = search.titles('house');
    expect(house[0]).toBe('The house');
    expect(house).toContain('The horse');
  });

  it('ranks documents with all the words before those with some', () => {
    const titles = search.titles('tenants repairs');
    expect(titles[0]).toBe('Tenants design housing');
    expect(titles).toContain('Repairs budget');
  });

  it('searches authors, series, tags and pages', () => {
    expect(search.titles('okafor')).toEqual(['Tenants design housing']);
    expect(search.titles('world')).toContain('Tenants design housing');
    expect(search.titles('community')).toContain('Meeting at the café');
    expect(search.titles('network')).toContain('About us');
  });

  it('never indexes drafts or future posts', () => {
    expect(search.titles('zebracrossing')).toEqual([]);
    expect(search.titles('secret')).toEqual([]);
  });

  it.each([['title:'], ['~'], ['foo:'], ['+'], ['-'], ['^'], ['*'], ['"unclosed'], ['house~2'], ['+house -horse'], ['title:house'], ['ho*se'], ['^^^'], [''], ['   '], ['<img src=x onerror=alert(1)>']])('handles the query %j without an error', (q) => {
    expect(() => search.hits(q)).not.toThrow();
  });

  it('reports the matched index terms for highlighting', () => {
    const [hit] = search.hits('housing');
    expect(hit!.terms).toContain('hous');
  });
});

describe('the search index of a German site', () => {
  it('stems German words and drops German stop words', async () => {
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ language: 'de' }),
      'posts/2024-01-01-haus.md': post({ title: 'Neue Häuser', date: '2024-01-01' }, 'Wir bauen die Häuser gemeinsam mit den Mieterinnen und Mietern.'),
      'posts/2024-01-02-other.md': post({ title: 'Anderes', date: '2024-01-02' }, 'Ein ganz anderes Thema, über Gärten.'),
    });
    expect((await buildSite(root)).ok).toBe(true);
    const search = await browserSearch(path.join(root, 'dist'));
    expect(search.data.language).toBe('de');
    expect(search.titles('Haus')).toEqual(['Neue Häuser']);
    expect(search.titles('hauser')).toEqual(['Neue Häuser']);
    expect(search.titles('Mieter')).toEqual(['Neue Häuser']);
    expect(search.titles('garten')).toEqual(['Anderes']);
    expect(search.hits('und')).toEqual([]);
  });
});

/** A site's config, collections and views for the search's own functions, from posts given as Markdown by file name. */
async function searchInputs(posts: Record<string, string>) {
  const { collect } = await import('../../src/site/collections.js');
  const { planSite } = await import('../../src/site/plan.js');
  const { ViewBuilder } = await import('../../src/site/view.js');
  const { loadConfig } = await import('../../src/config/resolve.js');
  const { createProcessor, renderBody } = await import('../../src/content/markdown.js');
  const { parseText } = await import('../../src/content/post.js');
  const root = await makeSite({});
  const config = await loadConfig({ root }, root);
  const processor = createProcessor(config);
  const parsed = Object.entries(posts).map(([name, text]) => parseText({ kind: 'post', path: `posts/${name}`, bundle: null }, Buffer.from(text), config, (f, b, l) => renderBody(processor, f, b, l)).post!);
  const c = collect(parsed, { drafts: false, future: false, now: Date.now() });
  const plan = planSite(c, config, { assets: new Set(), statics: [], reserved: [] });
  return { config, c, views: new ViewBuilder(config, c, plan) };
}

describe('the index size warning', () => {
  it('warns, saying what to do, when the gzipped index is over the limit', async () => {
    const { searchFiles } = await import('../../src/search/files.js');
    const { config, c, views } = await searchInputs({ 'a.md': post({ title: 'A', date: '2024-01-01' }, 'Some words to index.') });
    expect((await searchFiles(config, c, views)).messages).toEqual([]);
    const [message] = (await searchFiles(config, c, views, { warnAtGzipBytes: 10 })).messages;
    expect(message).toMatchObject({ severity: 'warning', rule: 'search/size', file: 'search/index.json' });
    expect(message!.reason).toMatch(/gzipped/);
    expect(message!.hint).toMatch(/Shorten/);
  });
});

describe('an index started as soon as the posts are collected', () => {
  const posts = {
    'a.md': post({ title: 'Tenants', date: '2024-01-01' }, 'Tenants and the council.'),
    'b.md': post({ title: 'Repairs', date: '2024-01-02' }, 'A budget for repairs.'),
    'c.md': post({ title: 'Café', date: '2024-01-03' }, 'A café in Zürich.'),
  };

  /** An early index that builds in this thread once given its cards, and says what became of it. */
  async function early(c: import('../../src/site/collections.js').Collections, fresh: ReadonlySet<string>) {
    const { startIndex } = await import('../../src/search/files.js');
    const { TermCache } = await import('../../src/search/terms.js');
    const seen = { whole: new Set<string>(), finished: false, dropped: null as Error | null };
    const index = startIndex(c, fresh, (entries, docs, whole) => {
      seen.whole = new Set(whole);
      return docs.then(
        (cards) => {
          seen.finished = true;
          return new TermCache('en').prepare(entries).finish(cards);
        },
        (err: Error) => {
          seen.dropped = err;
          throw err;
        },
      );
    });
    return { index, seen };
  }

  it('is completed with the result cards, and equals an index built after planning; the texts of fresh posts go whole', async () => {
    const { searchFiles } = await import('../../src/search/files.js');
    const { config, c, views } = await searchInputs(posts);
    const { index, seen } = await early(c, new Set(['posts/b.md']));
    expect([...seen.whole]).toEqual(index.keys.filter((_, i) => [...c.posts, ...c.pages][i]!.source === 'posts/b.md'));
    const withEarly = await searchFiles(config, c, views, { early: index });
    expect(seen.finished).toBe(true);
    const without = await searchFiles(config, c, views);
    expect(Buffer.from(withEarly.files.at(-1)!.contents as Uint8Array).toString()).toBe(Buffer.from(without.files.at(-1)!.contents as Uint8Array).toString());
    // The stand-in builder above does not measure the gzipped size.
    expect({ ...withEarly.info, gzipBytes: 0 }).toEqual({ ...without.info, gzipBytes: 0 });
  });

  it('is dropped when the index on disk stands, or when its entries are not those planned', async () => {
    const { searchFiles } = await import('../../src/search/files.js');
    const { config, c, views } = await searchInputs(posts);
    const built = await searchFiles(config, c, views);

    const unchanged = await early(c, new Set());
    const kept = await searchFiles(config, c, views, { previous: built.info, early: unchanged.index });
    expect(kept.kept).toEqual(['search/index.json']);
    await Promise.resolve();
    expect(unchanged.seen.dropped?.message).toMatch(/not needed/);
    expect(unchanged.seen.finished).toBe(false);

    const other = await searchInputs({ ...posts, 'd.md': post({ title: 'More', date: '2024-01-04' }, 'One more post.') });
    const stale = await early(other.c, new Set());
    const rebuilt = await searchFiles(config, c, views, { early: stale.index });
    await Promise.resolve();
    expect(stale.seen.dropped).not.toBeNull();
    expect(rebuilt.info).toEqual(built.info);
  });
});
