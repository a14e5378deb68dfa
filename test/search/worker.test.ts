import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { SearchEntry } from '../../src/search/index.js';
import { TermCache } from '../../src/search/terms.js';
import { gzipPlanAfter, startSearchWorker, type SearchWorker } from '../../src/search/worker.js';

function entry(n: number, body: string): SearchEntry {
  return {
    key: `k${n}:${body}`,
    doc: { title: `Post ${n}`, url: `/posts/${n}/`, date: '2024-01-01', dateText: '1 January 2024', summary: '' },
    title: `Post ${n}`,
    tags: ['housing'],
    series: null,
    authors: ['Ama Owusu'],
    summary: `Summary ${n}`,
    body,
  };
}

const text = (b: { contents: Uint8Array }) => Buffer.from(b.contents).toString('utf8');
/** What a fresh cache in this thread builds: the reference for every worker result. */
const fresh = (entries: SearchEntry[], language: string) => text(new TermCache(language).build(entries));

let worker: SearchWorker | null = null;
afterEach(async () => {
  await worker?.close();
  worker = null;
});

describe('search worker', () => {
  it('builds the same index as this thread, across rebuilds that send only changed texts', async () => {
    worker = startSearchWorker();
    let entries = [entry(1, 'tenants and councils'), entry(2, 'repairs budget'), entry(3, 'café in Zürich')];
    expect(text(await worker.build(entries, 'en'))).toBe(fresh(entries, 'en'));

    entries = [entries[0]!, entry(2, 'repairs budget agreed by tenants'), entries[2]!, entry(4, 'a new post')];
    expect(text(await worker.build(entries, 'en'))).toBe(fresh(entries, 'en'));
  });

  it('sends many texts ahead in chunks, and still builds the same index', async () => {
    worker = startSearchWorker();
    const words = ['tenants', 'council', 'repairs', 'budget', 'zebra', 'café', 'housing'];
    let entries = Array.from({ length: 450 }, (_, i) => entry(i, `${words[i % 7]} ${words[(i * 3) % 7]} number ${i}`));
    expect(text(await worker.build(entries, 'en'))).toBe(fresh(entries, 'en'));
    entries = [...entries.slice(0, 100), entry(1000, 'a new post about aardvarks'), ...entries.slice(101)];
    expect(text(await worker.build(entries, 'en'))).toBe(fresh(entries, 'en'));
  });

  it('measures the gzipped size, or estimates it from an earlier measure while the raw size barely moves', async () => {
    worker = startSearchWorker();
    const entries = Array.from({ length: 40 }, (_, i) => entry(i, `tenants and councils agreed on repairs number ${i}`));
    const first = await worker.build(entries, 'en', { gzip: true });
    expect(first.gzipBytes).toBe(zlib.gzipSync(first.contents).length);
    expect(first.measured).toEqual({ bytes: first.bytes, gzipBytes: first.gzipBytes });

    const edited = [...entries.slice(0, 39), entry(39, 'tenants and councils agreed on repairs number 39 again')];
    const close = await worker.build(edited, 'en', { gzip: { bytes: first.bytes, gzipBytes: first.gzipBytes } });
    expect(close.measured).toEqual({ bytes: first.bytes, gzipBytes: first.gzipBytes });
    expect(close.gzipBytes).toBe(Math.round((first.gzipBytes * close.bytes) / first.bytes));

    const far = await worker.build(edited, 'en', { gzip: { bytes: first.bytes * 2, gzipBytes: first.gzipBytes } });
    expect(far.gzipBytes).toBe(zlib.gzipSync(far.contents).length);
  });

  it('sends an entry whole again when the worker no longer has its terms', async () => {
    worker = startSearchWorker();
    const entries = [entry(1, 'tenants and councils'), entry(2, 'Häuser und Mieter')];
    expect(text(await worker.build(entries, 'en'))).toBe(fresh(entries, 'en'));
    // Another language has its own, empty cache: the stripped request is refused and sent whole.
    expect(text(await worker.build(entries, 'de'))).toBe(fresh(entries, 'de'));
    // Requests sent before the first is served rest on what the one before will leave behind.
    const more = [...entries, entry(3, 'more tenants')];
    const [a, b] = await Promise.all([worker.build(more, 'en'), worker.build(entries, 'de')]);
    expect(text(a)).toBe(fresh(more, 'en'));
    expect(text(b)).toBe(fresh(entries, 'de'));
  });

  it('builds an index started before its result cards, whether the cards come before or after the terms are ready', async () => {
    worker = startSearchWorker();
    const entries = [entry(1, 'tenants and councils'), entry(2, 'repairs budget'), entry(3, 'café in Zürich')];
    // A first build, so that the worker is up and its pipeline ready before the timed part below.
    await worker.build([entry(0, 'warming up')], 'en');
    const docs = entries.map((e) => e.doc);
    const withoutCards = entries.map(({ doc: _doc, ...rest }) => rest);
    // Cards after: the worker holds the terms' part until they come.
    let give: (d: typeof docs) => void = () => undefined;
    const later = worker.build(withoutCards, 'en', { docs: new Promise((resolve) => (give = resolve)), whole: new Set(entries.map((e) => e.key!)) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    give(docs);
    expect(text(await later)).toBe(fresh(entries, 'en'));
    // Cards before: a text the worker lacks (not in `whole`) costs a round trip, and the cards wait for it.
    const edited = [entries[0]!, entry(2, 'repairs budget agreed'), entries[2]!];
    const built = await worker.build(
      edited.map(({ doc: _doc, ...rest }) => rest),
      'en',
      { docs: Promise.resolve(edited.map((e) => e.doc)), whole: new Set() },
    );
    expect(text(built)).toBe(fresh(edited, 'en'));
  });

  it('drops an index whose result cards never come, rejecting with the reason, and serves the next', async () => {
    worker = startSearchWorker();
    const entries = [entry(1, 'tenants and councils'), entry(2, 'repairs budget')];
    const dropped = worker.build(
      entries.map(({ doc: _doc, ...rest }) => rest),
      'en',
      { docs: Promise.reject(new Error('the build failed')), whole: new Set(entries.map((e) => e.key!)) },
    );
    await expect(dropped).rejects.toThrow('the build failed');
    expect(text(await worker.build(entries, 'en'))).toBe(fresh(entries, 'en'));
  });

  it('rejects a build whose texts cannot be read, and dropping its cards afterwards does no harm', async () => {
    const { startIndex } = await import('../../src/search/files.js');
    worker = startSearchWorker();
    const unhandled: unknown[] = [];
    const listen = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', listen);
    try {
      // A post whose text the cache can no longer give (CacheReadError in a build).
      const post = { source: 'posts/a.md', title: 'A', tags: [], series: null, authors: [], summary: '', textHash: 'x', get text(): string {
        throw new Error('a.json: unreadable');
      } };
      const early = startIndex({ posts: [post], pages: [] } as never, new Set(['posts/a.md']), (entries, docs, whole) => worker!.build(entries, 'en', { docs, whole }));
      await expect(early.finish([entry(1, 'x').doc])).rejects.toThrow('a.json: unreadable');
      early.cancel();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      const entries = [entry(1, 'tenants and councils')];
      expect(text(await worker.build(entries, 'en'))).toBe(fresh(entries, 'en'));
    } finally {
      process.off('unhandledRejection', listen);
    }
  });

  it('plans to estimate the next index\'s gzipped size from the sizes last measured, and to measure it when there are none', () => {
    expect(gzipPlanAfter(null)).toBe(true);
    expect(gzipPlanAfter({ key: 'k', bytes: 1000, gzipBytes: -1 })).toBe(true);
    expect(gzipPlanAfter({ key: 'k', bytes: 1000, gzipBytes: 300 })).toEqual({ bytes: 1000, gzipBytes: 300 });
    // An estimate is made from what was last measured, not from the estimate before it.
    expect(gzipPlanAfter({ key: 'k', bytes: 1005, gzipBytes: 302, measured: { bytes: 1000, gzipBytes: 300 } })).toEqual({ bytes: 1000, gzipBytes: 300 });
  });
});
