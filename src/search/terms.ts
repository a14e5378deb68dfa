import os from 'node:os';
import { gzipSize } from '../util/gzip.js';
import lunr from 'lunr';
import { ByteWriter } from '../util/bytes.js';
import { hash } from '../util/hash.js';
import { FIELD_BOOSTS, refOf, type BuiltIndex, type SearchDoc, type SearchEntry } from './index.js';
import { lunrFor, LUNR_VERSION } from './lunr.js';

/**
 * One field of a document as lunr's builder sees it: its terms (as numbers of `TermCache#ids`) in
 * order of first appearance, how often each occurs, and the field's length in terms.
 */
interface FieldTerms {
  ids: Int32Array;
  counts: Int32Array;
  length: number;
}

/** An entry without its texts, standing for an entry of the same key in the previous build. */
export type TextlessEntry = Pick<SearchEntry, 'doc'> & Partial<SearchEntry> & { key: string };

/** What the terms' part of an index is made of: an entry, or its key alone, with or without its result card. */
export type EntryTerms = Omit<SearchEntry, 'doc'> | Omit<TextlessEntry, 'doc'>;

/** Textless entries whose terms are not known (any more): they must be sent whole. */
export class MissingTermsError extends Error {
  constructor(readonly keys: string[]) {
    super(`no terms are known for ${keys.length} search entr${keys.length === 1 ? 'y' : 'ies'}`);
  }
}

/** The text each field of an entry is indexed from. */
function fieldTexts(e: Omit<SearchEntry, 'doc'>): Record<keyof typeof FIELD_BOOSTS, string> {
  return { title: e.title, tags: e.tags.join(' '), series: e.series ?? '', author: e.authors.join(' '), summary: e.summary, body: e.body };
}

const COMMA = 0x2c;
/** What a result card takes in the index, about: title, URL, dates and summary as JSON. */
const CARD_BYTES = 400;
const CLOSE_BRACE = 0x7d;

const FIELDS = Object.keys(FIELD_BOOSTS) as (keyof typeof FIELD_BOOSTS)[];

/** lunr's BM25 parameters (`Builder#k1`, `Builder#b`), left at its defaults. */
const K1 = 1.2;
const B = 0.75;

/** A key JavaScript lists before all others, in numeric order (an array index such as "10"). */
const isIndexKey = (key: string): boolean => /^(0|[1-9]\d{0,8})$/.test(key);

/**
 * Builds search indexes from per-entry term frequencies, keeping them between builds: an entry
 * whose text is unchanged is not tokenised and stemmed again. The index is computed the way
 * lunr's `Builder` computes it (terms numbered in order of first appearance, BM25 scores rounded
 * to 3 decimals, one vector per field of each document, the inverted index sorted by term) and
 * written straight to JSON: the text is identical to `JSON.stringify` of lunr's own index (see
 * the test that compares them), without lunr's objects or its token set.
 */
export class TermCache {
  /** Every term met so far, numbered; a number is only a name here, not the index's term number. */
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** Each entry's analysed fields, by hash of its texts. */
  private readonly terms = new Map<string, FieldTerms[]>();

  constructor(readonly language: string) {}

  /** How many entries were analysed (tokenised and stemmed) by the last `build`. */
  analysed = 0;

  /**
   * The cache as bytes, to keep it between runs (see `TermCache.fromBytes`): a 4-byte header
   * length, a JSON header (language, every term, each entry's key), then per entry and field the
   * 32-bit integers [term count, field length, term numbers…, counts…] in this machine's byte order.
   */
  toBytes(): Uint8Array {
    const keys = [...this.terms.keys()];
    const header = Buffer.from(JSON.stringify({ format: 1, endianness: os.endianness(), language: this.language, names: this.names, keys }));
    const start = Math.ceil((4 + header.length) / 4) * 4;
    let ints = 0;
    for (const fields of this.terms.values()) for (const f of fields) ints += 2 + 2 * f.ids.length;
    const out = Buffer.alloc(start + ints * 4);
    out.writeUInt32LE(header.length, 0);
    header.copy(out, 4);
    const data = new Int32Array(out.buffer, out.byteOffset + start, ints);
    let at = 0;
    for (const fields of this.terms.values()) {
      for (const f of fields) {
        data[at++] = f.ids.length;
        data[at++] = f.length;
        data.set(f.ids, at);
        data.set(f.counts, at + f.ids.length);
        at += 2 * f.ids.length;
      }
    }
    return out;
  }

  /** A cache from `toBytes`'s output; throws when the bytes are not of that shape (or of another machine's byte order). */
  static fromBytes(bytes: Uint8Array): TermCache {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const fail = () => new Error('not a term cache');
    if (buf.length < 4) throw fail();
    const headerLength = buf.readUInt32LE(0);
    if (4 + headerLength > buf.length) throw fail();
    const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString('utf8')) as { format: number; endianness: string; language: string; names: string[]; keys: string[] };
    if (header.format !== 1 || header.endianness !== os.endianness() || !Array.isArray(header.names) || !Array.isArray(header.keys)) throw fail();
    const start = Math.ceil((4 + headerLength) / 4) * 4;
    if ((buf.length - start) % 4 !== 0) throw fail();
    // Int32Array needs an aligned start: copy the few bytes' worth of misalignment away if need be.
    const aligned = (buf.byteOffset + start) % 4 === 0 ? buf : Buffer.from(buf);
    const data = new Int32Array(aligned.buffer, aligned.byteOffset + start, (buf.length - start) / 4);
    const cache = new TermCache(String(header.language));
    header.names.forEach((name) => cache.id(String(name)));
    // Plain loops and views into the one array: this runs once per build, before the JIT has
    // warmed up, where a callback per term number and a copy per field took three times as long.
    // (The file's bytes stay in memory while any entry read from it does: no more than the copies.)
    const names = cache.names.length;
    let at = 0;
    for (const key of header.keys) {
      const fields: FieldTerms[] = [];
      for (let f = 0; f < FIELDS.length; f++) {
        const n = data[at]!;
        const length = data[at + 1]!;
        const from = at + 2;
        if (!(n >= 0) || from + 2 * n > data.length) throw fail();
        for (let j = from; j < from + n; j++) if (data[j]! < 0 || data[j]! >= names) throw fail();
        fields.push({ ids: data.subarray(from, from + n), counts: data.subarray(from + n, from + 2 * n), length });
        at = from + 2 * n;
      }
      cache.terms.set(String(key), fields);
    }
    if (at !== data.length) throw fail();
    return cache;
  }

  private id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(term, id);
      this.names.push(term);
    }
    return id;
  }

  /** A lunr builder with the site language's pipelines, for its tokenizer and pipelines. */
  private builder(): lunr.Builder {
    const { lunr: l, pipeline } = lunrFor(this.language);
    const builder = new l.Builder();
    builder.pipeline.add(...pipeline.index);
    builder.searchPipeline.add(...pipeline.search);
    return builder;
  }

  /**
   * The terms the pipeline makes of each word as the tokenizer cuts it, by word: a site's texts
   * repeat a few tens of thousands of words, each analysed once. (Every function of our pipelines
   * looks at its token alone, so a word always gives the same terms.) Words are kept from one
   * index to the next, and forgotten when two indexes went by without them: a long watch session
   * does not keep every word ever typed.
   */
  private words = new Map<string, number[]>();
  private olderWords = new Map<string, number[]>();

  private termsOf(builder: lunr.Builder, word: string): number[] {
    let ids = this.words.get(word);
    if (!ids) {
      ids = this.olderWords.get(word) ?? builder.pipeline.run([new lunr.Token(word, {})]).map((t) => this.id(t.toString()));
      this.words.set(word, ids);
    }
    return ids;
  }

  /**
   * A field's terms as lunr's `Builder.add` finds them: its tokenizer lowercases the text and cuts
   * it at every separator (whitespace and hyphens), and the pipeline runs on each word.
   */
  private analyse(builder: lunr.Builder, entry: Omit<SearchEntry, 'doc'>): FieldTerms[] {
    const texts = fieldTexts(entry);
    return FIELDS.map((field) => {
      // A Map keeps the order of first appearance (which numbers terms in the index), integer-like terms included.
      const counts = new Map<number, number>();
      let length = 0;
      for (const word of texts[field].toLowerCase().split(lunr.tokenizer.separator)) {
        if (!word) continue;
        for (const id of this.termsOf(builder, word)) {
          counts.set(id, (counts.get(id) ?? 0) + 1);
          length++;
        }
      }
      return { ids: Int32Array.from(counts.keys()), counts: Int32Array.from(counts.values()), length };
    });
  }

  /**
   * Analyses entries ahead of a `build` that will name them by key only: a large index's texts can
   * then arrive a few at a time, each dropped once analysed, rather than all at once.
   */
  learn(entries: Omit<SearchEntry, 'doc'>[]): void {
    const builder = this.builder();
    for (const entry of entries) {
      if (entry.key !== undefined && !this.terms.has(entry.key)) this.terms.set(entry.key, this.analyse(builder, entry));
    }
  }

  /**
   * Builds the index over `entries`, analysing only entries not seen before. An entry may come
   * without its texts (only `key` and `doc`) when the previous build had an entry of that key.
   */
  build(entries: (SearchEntry | TextlessEntry)[]): BuiltIndex {
    return this.prepare(entries).finish(entries.map((e) => e.doc));
  }

  /**
   * Computes the index over `entries` but for its result cards (`doc`, which the index does not
   * search), which `finish` takes: the terms' part may start before the cards are known.
   */
  prepare(entries: EntryTerms[]): PreparedIndex {
    const builder = this.builder();
    this.olderWords = this.words;
    this.words = new Map();

    const missing = entries.flatMap((e) => (e.key !== undefined && e.body === undefined && !this.terms.has(e.key) ? [e.key] : []));
    if (missing.length > 0) throw new MissingTermsError(missing);
    const seen = new Map<string, FieldTerms[]>();
    this.analysed = 0;
    const analysed = entries.map((entry) => {
      const key = entry.key ?? hash(JSON.stringify(fieldTexts(entry as Omit<SearchEntry, 'doc'>)));
      let terms = seen.get(key) ?? this.terms.get(key);
      if (!terms) {
        terms = this.analyse(builder, entry as Omit<SearchEntry, 'doc'>);
        this.analysed++;
      }
      seen.set(key, terms);
      return terms;
    });
    // Entries no longer in the site are forgotten.
    this.terms.clear();
    for (const [key, value] of seen) this.terms.set(key, value);

    // What Builder.add records: terms numbered in order of first appearance, each term's
    // document-field pairs (doc * FIELDS.length + field, in document order), field lengths.
    const n = entries.length;
    const refs = entries.map((_, i) => refOf(i));
    const names = this.names.length;
    const termIndex = new Int32Array(names).fill(-1);
    const pairs = new Int32Array(names);
    const live: number[] = [];
    const lengthSums = FIELDS.map(() => 0);
    // Per field and term (at f * names + term), the documents that have the term in that field, in
    // document order: all in one array, each list at `first[f * names + term]` up to the next one's
    // start. (An array per list made millions of small arrays to grow and collect.)
    const first = new Int32Array(FIELDS.length * names + 1);
    analysed.forEach((doc) => {
      doc.forEach(({ ids, length }, f) => {
        lengthSums[f]! += length;
        for (const id of ids) {
          if (termIndex[id] === -1) {
            termIndex[id] = live.length;
            live.push(id);
          }
          first[f * names + id + 1]!++;
          pairs[id]!++;
        }
      });
    });
    for (let k = 1; k < first.length; k++) first[k]! += first[k - 1]!;
    const postings = new Int32Array(first[first.length - 1]!);
    const filled = first.slice(0, -1);
    analysed.forEach((doc, d) => {
      doc.forEach(({ ids }, f) => {
        for (const id of ids) postings[filled[f * names + id]!++] = d;
      });
    });
    // Builder.build: average field lengths, lunr.idf (over document-field pairs), then each
    // term's BM25 score in each field, in a vector sorted by term number; Index#toJSON.
    const averages = lengthSums.map((sum) => sum / n);
    const idf = new Float64Array(this.names.length);
    for (const id of live) idf[id] = Math.log(1 + Math.abs((n - pairs[id]! + 0.5) / (pairs[id]! + 0.5)));
    // The index's size, from above, so its buffer is made once: at 50,000 posts it is 300 MB, and
    // each doubling would hold the old and the new buffer at once.
    let pairCount = 0;
    let termBytes = 0;
    for (const id of live) {
      pairCount += pairs[id]!;
      termBytes += 3 * this.names[id]!.length + 100;
    }
    // Each pair is a vector element (term number, comma, score of at most 7 characters, comma) and a posting (`"ref":{},`).
    const perPair = String(live.length).length + 9 + (refs.at(-1)?.length ?? 1) + 6;
    // The result cards come last (see `PreparedIndex`): a few hundred bytes each, room made for them now.
    const out = new ByteWriter(pairCount * perPair + n * FIELDS.length * 24 + termBytes + n * CARD_BYTES + 4096);
    out
      .text(`{"version":1,"lunr":${JSON.stringify(LUNR_VERSION)},"language":${JSON.stringify(this.language)},`)
      .text(`"index":{"version":${JSON.stringify(LUNR_VERSION)},"fields":${JSON.stringify(FIELDS)},"fieldVectors":[`);
    const scoreAt = new Float64Array(live.length);
    analysed.forEach((doc, d) => {
      doc.forEach(({ ids, counts, length }, f) => {
        const boost = FIELD_BOOSTS[FIELDS[f]!];
        const norm = K1 * (1 - B + B * (length / averages[f]!));
        const order = new Int32Array(ids.length);
        for (let j = 0; j < ids.length; j++) {
          const id = ids[j]!;
          const tf = counts[j]!;
          let score = (idf[id]! * ((K1 + 1) * tf)) / (norm + tf);
          score *= boost;
          order[j] = termIndex[id]!;
          scoreAt[termIndex[id]!] = Math.round(score * 1000);
        }
        order.sort();
        out.text(`${d || f ? ',' : ''}["${FIELDS[f]}/${refs[d]}",[`);
        out.pairs(order, scoreAt);
        out.text(']]');
      });
    });

    // lunr keeps a posting's documents as keys of a plain object, and JavaScript lists index-like
    // keys ("0", "10") first in numeric order, then the rest in insertion order. Refs are base-36
    // numbers; among the digit-only ones both orders agree with document order.
    const indexLike = Uint8Array.from(refs, (ref) => (isIndexKey(ref) ? 1 : 0));
    // Each document's `"ref":{}`, as bytes, all in one array (document d's from `refAt[d]` to
    // `refAt[d + 1]`), copied for every posting.
    const refText = Buffer.from(refs.map((ref) => `"${ref}":{}`).join(''));
    const refAt = new Int32Array(n + 1);
    refs.forEach((ref, d) => (refAt[d + 1] = refAt[d]! + ref.length + 5));
    out.text('],"invertedIndex":[');
    const terms = live.map((id) => this.names[id]!).sort();
    terms.forEach((term, t) => {
      const id = this.ids.get(term)!;
      out.text(`${t ? ',' : ''}[${JSON.stringify(term)},{"_index":`).uint(termIndex[id]!);
      for (let f = 0; f < FIELDS.length; f++) {
        out.text(`,"${FIELDS[f]}":{`);
        const from = first[f * names + id]!;
        const to = first[f * names + id + 1]!;
        let listed = 0;
        for (const digitsFirst of [1, 0]) {
          for (let k = from; k < to; k++) {
            const d = postings[k]!;
            if (indexLike[d] !== digitsFirst) continue;
            if (listed++) out.char(COMMA);
            out.slice(refText, refAt[d]!, refAt[d + 1]!);
          }
        }
        out.char(CLOSE_BRACE);
      }
      out.text('}]');
    });

    out.text(`],"pipeline":${JSON.stringify(builder.searchPipeline.toJSON())}},"docs":`);
    return new PreparedIndex(out, refs);
  }
}

/** An index computed but for its result cards, which complete it (see `TermCache#prepare`). */
export class PreparedIndex {
  private finished = false;

  constructor(
    /** The index's JSON up to its `docs`, in a buffer with room for them. */
    private readonly out: ByteWriter,
    private readonly refs: string[],
  ) {}

  /** The whole index, with each entry's result card, in the order of the entries (once). */
  finish(docs: SearchDoc[]): BuiltIndex {
    if (docs.length !== this.refs.length) throw new Error(`the search index has ${this.refs.length} entries, and ${docs.length} result cards were given`);
    if (this.finished) throw new Error('this search index is finished already');
    this.finished = true;
    // As bytes first: the writer would make room for three bytes per character of text.
    const cards = Buffer.from(JSON.stringify(Object.fromEntries(docs.map((doc, i) => [this.refs[i]!, doc]))));
    const contents = this.out.raw(cards).char(CLOSE_BRACE).bytes();
    return { contents, bytes: contents.length, gzipBytes: -1 };
  }
}

/**
 * A term cache made when first asked for: reading a large one from disk takes longer than a whole
 * build that needs no new index.
 */
export class LazyTerms {
  private cache: TermCache | undefined;

  constructor(private readonly make: () => TermCache) {}

  get(): TermCache {
    return (this.cache ??= this.make());
  }

  /** Whether `get` was called: only then can the cache have changed. */
  get used(): boolean {
    return this.cache !== undefined;
  }
}

/**
 * Builds the lunr index over every entry (in this thread, before returning), with its size raw and
 * gzipped; the gzip runs on Node's thread pool, so the caller can do other work while it does.
 */
export function buildSearchIndex(entries: SearchEntry[], language: string, cache: TermCache = new TermCache(language)): Promise<BuiltIndex> {
  if (cache.language !== language) cache = new TermCache(language);
  const built = cache.build(entries);
  return gzipSize(built.contents).then((gzipBytes) => ({ ...built, gzipBytes }));
}
