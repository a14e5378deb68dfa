import { describe, expect, it } from 'vitest';
import { FIELD_BOOSTS, refOf, type SearchEntry } from '../../src/search/index.js';
import { lunrFor, LUNR_VERSION } from '../../src/search/lunr.js';
import { TermCache } from '../../src/search/terms.js';

/** lunr's own way: Builder.add on every entry, from scratch, and the file's JSON text from its index. */
function fromScratch(entries: SearchEntry[], language: string): string {
  const { lunr, pipeline } = lunrFor(language);
  const index = lunr(function () {
    this.pipeline.reset();
    this.pipeline.add(...pipeline.index);
    this.searchPipeline.reset();
    this.searchPipeline.add(...pipeline.search);
    this.ref('id');
    for (const [field, boost] of Object.entries(FIELD_BOOSTS)) this.field(field, { boost });
    entries.forEach((e, i) => {
      this.add({ id: refOf(i), title: e.title, tags: e.tags.join(' '), series: e.series ?? '', author: e.authors.join(' '), summary: e.summary, body: e.body });
    });
  });
  const docs: Record<string, unknown> = {};
  entries.forEach((e, i) => (docs[refOf(i)] = e.doc));
  return JSON.stringify({ version: 1, lunr: LUNR_VERSION, language, index: index.toJSON(), docs });
}

function entry(n: number, body: string, extra: Partial<SearchEntry> = {}): SearchEntry {
  return {
    doc: { title: `T${n}`, url: `/p/${n}/`, date: '2024-01-01', dateText: '1 January 2024', summary: '' },
    title: `Post ${n} about the 2024 café`,
    tags: ['housing', `tag${n % 3}`],
    series: n % 2 ? 'Around the World' : null,
    authors: ['Anna Schäfer'],
    summary: `Summary ${n}: tenants and 10 councils.`,
    body,
    ...extra,
  };
}

const BODIES = [
  'Tenants designed the housing together; the council listened. 2024 was the year. 10 of 12 agreed.',
  'Мир и труд. Clichéd phrases about co-production, and a naïve café in Zürich.',
  'Repairs, repairs and more repairs: the budget for repairs was set by the tenants in 2023.',
  'Short.',
  '',
  // The tokenizer's edges: hyphens and runs of any whitespace cut words; punctuation stays for the
  // trimmer; lowercasing may lengthen a word (İ); the same word comes with and without punctuation.
  'Co-production--of\tpublic\u00a0services;  services, SERVICES. — … İstanbul "quoted" (brackets) e-mail',
];

function indexJson(cache: TermCache, entries: SearchEntry[]): string {
  return Buffer.from(cache.build(entries).contents).toString('utf8');
}

/** Enough entries for refs of every shape ("9", "10", "a", "1a"), with numbers and repeated words. */
function manyEntries(count: number): SearchEntry[] {
  const words = ['tenants', 'council', '2024', '10', '7', 'repairs', 'café', 'budget', 'the', 'zebra', 'co-production', 'мир'];
  return Array.from({ length: count }, (_, i) =>
    entry(i, Array.from({ length: (i * 7) % 40 }, (_, j) => words[(i * 3 + j * j) % words.length]).join(' '), {
      series: i % 5 === 0 ? null : `Series ${i % 3}`,
      tags: i % 4 === 0 ? [] : ['housing', `tag${i % 6}`],
    }),
  );
}

describe('TermCache', () => {
  for (const language of ['en', 'de']) {
    it(`builds exactly the index lunr builds from scratch (${language})`, () => {
      const entries = BODIES.map((b, i) => entry(i, b));
      expect(indexJson(new TermCache(language), entries)).toEqual(fromScratch(entries, language));
    });
  }

  it('writes the very text JSON.stringify gives for lunr\'s index, over many entries', () => {
    const entries = manyEntries(120);
    expect(indexJson(new TermCache('en'), entries)).toBe(fromScratch(entries, 'en'));
  });

  it('keeps its terms through toBytes and fromBytes, and refuses bytes of another shape', () => {
    const entries = manyEntries(50);
    const cache = new TermCache('en');
    const first = indexJson(cache, entries);
    const bytes = cache.toBytes();
    const again = TermCache.fromBytes(bytes);
    expect(indexJson(again, entries)).toBe(first);
    expect(again.analysed).toBe(0);
    // A copy at an odd offset still reads.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(indexJson(TermCache.fromBytes(shifted.subarray(1)), entries)).toBe(first);
    expect(() => TermCache.fromBytes(bytes.subarray(0, bytes.length - 8))).toThrow();
    expect(() => TermCache.fromBytes(new Uint8Array([1, 2, 3]))).toThrow();
  });

  it('re-analyses only changed and new entries, and still equals a from-scratch build', () => {
    const cache = new TermCache('en');
    let entries = BODIES.map((b, i) => entry(i, b));
    cache.build(entries);
    expect(cache.analysed).toBe(BODIES.length);

    cache.build(entries);
    expect(cache.analysed).toBe(0);

    entries = [...entries];
    entries[2] = entry(2, 'A new body about 99 new words and zebras.');
    entries.splice(3, 1);
    entries.push(entry(7, 'An added post, with 2025 figures.'), entry(8, 'Same words.'), entry(9, 'Same words.', { title: 'Post 8 about the 2024 café', tags: ['housing', 'tag2'], series: null, summary: 'Summary 8: tenants and 10 councils.' }));
    const json = indexJson(cache, entries);
    // Entries 8 and 9 index the same text: it is analysed once.
    expect(cache.analysed).toBe(3);
    expect(json).toEqual(fromScratch(entries, 'en'));
  });

  it('prepares the terms of an index apart from its result cards, which must be one per entry', () => {
    const entries = manyEntries(40);
    const prepared = new TermCache('en').prepare(entries.map(({ doc: _doc, ...rest }) => rest));
    expect(() => prepared.finish(entries.slice(1).map((e) => e.doc))).toThrow(/40 entries, and 39 result cards/);
    expect(Buffer.from(prepared.finish(entries.map((e) => e.doc)).contents).toString('utf8')).toBe(fromScratch(entries, 'en'));
    expect(() => prepared.finish(entries.map((e) => e.doc))).toThrow(/finished already/);
  });
});
