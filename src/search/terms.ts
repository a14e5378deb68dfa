import { gzipSync } from 'node:zlib';
import type lunr from 'lunr';
import { hash } from '../util/hash.js';
import { FIELD_BOOSTS, refOf, type BuiltIndex, type SearchDoc, type SearchEntry, type SearchIndexFile } from './index.js';
import { lunrFor, LUNR_VERSION } from './lunr.js';

/**
 * One field of a document as lunr's builder sees it: its terms in order of first appearance, with
 * counts. Replaying them in that order into plain objects rebuilds lunr's structures exactly,
 * key order included.
 */
type FieldTerms = [field: string, terms: [term: string, count: number][], length: number];

/** The text each field of an entry is indexed from. */
function fieldTexts(e: SearchEntry): Record<keyof typeof FIELD_BOOSTS, string> {
  return { title: e.title, tags: e.tags.join(' '), series: e.series ?? '', author: e.authors.join(' '), summary: e.summary, body: e.body };
}

/**
 * Builds search indexes from per-entry term frequencies, keeping them between builds: an entry
 * whose text is unchanged is not tokenised and stemmed again. The result is identical to what
 * lunr's own `Builder.add` loop produces (see the test that compares them).
 */
export class TermCache {
  private readonly terms = new Map<string, FieldTerms[]>();

  constructor(private readonly language: string) {}

  /** How many entries were analysed (tokenised and stemmed) by the last `build`. */
  analysed = 0;

  private analyse(builder: lunr.Builder, entry: SearchEntry): FieldTerms[] {
    const texts = fieldTexts(entry);
    return (Object.keys(FIELD_BOOSTS) as (keyof typeof FIELD_BOOSTS)[]).map((field) => {
      // lunr's typings leave out the tokenizer's metadata argument, which Builder.add passes.
      const tokenize = builder.tokenizer as unknown as (text: string, metadata: object) => lunr.Token[];
      const tokens = tokenize(texts[field], { fields: [field] });
      const run = builder.pipeline.run(tokens);
      // A Map keeps the order of first appearance (which numbers terms in the index), integer-like terms included.
      const counts = new Map<string, number>();
      for (const t of run) {
        const term = t.toString();
        counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      return [field, [...counts], run.length];
    });
  }

  /** Builds the index over `entries`, analysing only entries not seen before. */
  build(entries: SearchEntry[]): BuiltIndex & { index: lunr.Index } {
    const { lunr: l, pipeline } = lunrFor(this.language);
    const builder = new l.Builder();
    builder.pipeline.add(...pipeline.index);
    builder.searchPipeline.add(...pipeline.search);
    builder.ref('id');
    for (const [field, boost] of Object.entries(FIELD_BOOSTS)) builder.field(field, { boost });

    // lunr keeps these as plain objects; its typings do not describe them.
    const b = builder as unknown as {
      _documents: Record<string, object>;
      documentCount: number;
      fieldTermFrequencies: Record<string, Record<string, number>>;
      fieldLengths: Record<string, number>;
      invertedIndex: Record<string, Record<string, unknown>>;
      termIndex: number;
    };
    const fields = Object.keys(FIELD_BOOSTS);
    const docs: Record<string, SearchDoc> = {};
    const seen = new Map<string, FieldTerms[]>();
    this.analysed = 0;
    entries.forEach((entry, i) => {
      const ref = refOf(i);
      docs[ref] = entry.doc;
      const key = hash(JSON.stringify(fieldTexts(entry)));
      let analysed = seen.get(key) ?? this.terms.get(key);
      if (!analysed) {
        analysed = this.analyse(builder, entry);
        this.analysed++;
      }
      seen.set(key, analysed);
      // What Builder.add does with the terms of each field, replayed from the cache.
      b._documents[ref] = {};
      b.documentCount += 1;
      for (const [field, termCounts, length] of analysed) {
        // lunr.FieldRef#toString: field name, "/", document ref.
        const fieldRef = `${field}/${ref}`;
        const frequencies: Record<string, number> = Object.create(null);
        b.fieldTermFrequencies[fieldRef] = frequencies;
        b.fieldLengths[fieldRef] = length;
        for (const [term, count] of termCounts) {
          frequencies[term] = count;
          let posting = b.invertedIndex[term];
          if (posting === undefined) {
            posting = Object.create(null) as Record<string, unknown>;
            posting._index = b.termIndex;
            b.termIndex += 1;
            for (const f of fields) posting[f] = Object.create(null);
            b.invertedIndex[term] = posting;
          }
          (posting[field] as Record<string, object>)[ref] = Object.create(null);
        }
      }
    });
    // Entries no longer in the site are forgotten.
    this.terms.clear();
    for (const [key, value] of seen) this.terms.set(key, value);

    const index = builder.build();
    const file: SearchIndexFile = { version: 1, lunr: LUNR_VERSION, language: this.language, index: index.toJSON(), docs };
    const json = JSON.stringify(file);
    return { json, bytes: Buffer.byteLength(json), gzipBytes: -1, index };
  }
}

/** Builds the lunr index over every entry, with its size raw and gzipped. */
export function buildSearchIndex(entries: SearchEntry[], language: string, cache: TermCache = new TermCache(language)): BuiltIndex {
  const built = cache.build(entries);
  return { json: built.json, bytes: built.bytes, gzipBytes: gzipSync(built.json).length };
}
