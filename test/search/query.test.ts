import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lunrFor } from '../../src/search/lunr.js';
import { searchIndex } from '../../src/search/query.js';
import { buildSite, makeSite, post } from '../helpers/site.js';

/** A token longer than any word: 84 letters, as a pasted sequence or code might be. */
const LONG_TOKEN = 'gattaca'.repeat(12);

/**
 * Runs queries against a built site's index, counting the spellings run through the stemmer: the
 * words looked up and every misspelling tried for a typo correction.
 */
async function searcher(dist: string) {
  const data = JSON.parse(await fs.readFile(path.join(dist, 'search/index.json'), 'utf8'));
  const { lunr, pipeline } = lunrFor(data.language);
  const idx = lunr.Index.load(data.index);
  let stems = 0;
  const stem = pipeline.search.at(-1);
  const counted = Object.assign(
    (...args: unknown[]) => {
      stems += 1;
      return stem(...args);
    },
    { label: stem.label },
  );
  const counting = { ...pipeline, search: [...pipeline.search.slice(0, -1), counted] };
  return (text: string) => {
    stems = 0;
    const titles = searchIndex(lunr, idx, counting, text).map((h) => data.docs[h.ref].title as string);
    return { titles, stems };
  };
}

describe('searchIndex', () => {
  let search: Awaited<ReturnType<typeof searcher>>;
  beforeAll(async () => {
    const root = await makeSite({
      'posts/2024-01-01-kilmarnock.md': post({ title: 'A new surgery in Kilmarnock', date: '2024-01-01' }, 'Patients in Kilmarnock helped design the surgery.'),
      'posts/2024-01-02-housing.md': post({ title: 'Tenants design housing', date: '2024-01-02' }, 'Tenants and architects worked together on repairs.'),
      'posts/2024-01-03-sequence.md': post({ title: 'A sequence', date: '2024-01-03' }, `The sequence ${LONG_TOKEN} repeats.`),
    });
    expect((await buildSite(root)).messages).toEqual([]);
    search = await searcher(path.join(root, 'dist'));
  });

  it('finds a word with one typo, and the word being typed by its prefix', () => {
    expect(search('kilmarnok').titles).toEqual(['A new surgery in Kilmarnock']);
    expect(search('Kilmarnoc').titles).toEqual(['A new surgery in Kilmarnock']);
    expect(search('kilmar').titles).toEqual(['A new surgery in Kilmarnock']);
    expect(search('housign').titles).toEqual(['Tenants design housing']);
    expect(search('tennants repairs').titles).toEqual(['Tenants design housing']);
  });

  // Uncapped, each of these would try every misspelling of every word: minutes for the longest.
  it.each([
    ['20,000 letters', 'a'.repeat(20_000)],
    ['2,000 letters', 'abcdefghij'.repeat(200)],
    ['12 words of 24 letters', Array.from({ length: 12 }, (_, i) => 'abcdefghijklmnopqrstuvwx'.slice(i) + 'abcdefghijklmnopqrstuvwx'.slice(0, i)).join(' ')],
    ['5,000 words', 'kilmarnock '.repeat(5_000)],
  ])('answers a query of %s, trying a bounded number of spellings', (_, text) => {
    const { stems } = search(text);
    // The 12 words looked up, and the 2,000 misspellings a whole query may try.
    expect(stems).toBeLessThanOrEqual(12 + 2_000);
  });

  it('still gives the hits of a long query’s words', () => {
    expect(search(`housing ${'a'.repeat(2_000)}`).titles).toEqual(['Tenants design housing']);
    expect(search('kilmarnok '.repeat(5_000)).titles).toEqual(['A new surgery in Kilmarnock']);
    expect(search('a'.repeat(20_000)).titles).toEqual([]);
  });

  it('matches a word longer than any real word by its first letters, so a pasted long token finds its post', () => {
    expect(search(LONG_TOKEN).titles).toEqual(['A sequence']);
    expect(search(`${LONG_TOKEN} `).titles).toEqual(['A sequence']);
    expect(search('gattaca'.repeat(3_000)).titles).toEqual(['A sequence']);
  });
});
