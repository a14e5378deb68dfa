/* eslint-disable @typescript-eslint/no-explicit-any */
/** One ranked search hit. */
export interface SearchHit {
  ref: string;
  score: number;
  /** How many of the visitor's words the document matched. */
  words: number;
  /** The index terms that matched, for highlighting. */
  terms: string[];
}

/**
 * Runs a visitor's query against a loaded index. Like `registerPipeline`, this runs in Node and,
 * as its own source text, in the browser, so it must stay self-contained.
 *
 * Visitor text is never parsed as lunr query syntax: it is split into words, so `title:`, `~`,
 * `+`, `-`, `^`, `*` and quotes cannot raise an error. Each word matches exactly (strongest), by
 * prefix when it is the word being typed, and with one typo when it has 5 to 24 letters
 * (weakest). Documents that match all words rank before those that match some. The query's
 * length, its words' lengths and the typo corrections tried are capped, so that any text, such as
 * a shared link's `?q=`, is answered at once.
 */
export function searchIndex(lunr: any, idx: any, pipeline: { search: any[]; fold: any; stop: any }, text: string): SearchHit[] {
  /** Characters of the text that are read: room for the most words of the most letters. */
  const MAX_CHARS = 1000;
  const MAX_WORDS = 12;
  // Real words fit (German's longest has 63 letters); a longer word is cut to this length and
  // matched by prefix, so it, or a pasted long token, still finds its post at a bounded cost.
  const MAX_LETTERS = 64;
  /** The longest word corrected for a typo: the candidates grow with its length times the alphabet. */
  const MAX_TYPO_LETTERS = 24;
  /** Misspellings stemmed and looked up per query for typo corrections, shared among its words. */
  const MAX_CANDIDATES = 2000;

  const read = String(text).slice(0, MAX_CHARS);
  const all = read
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS)
    .map((w) => Array.from(w).slice(0, MAX_LETTERS).join(''));
  // Stop words ("the", "und") are not in the index; they only count when they are all there is.
  const stopper = new lunr.Pipeline();
  if (pipeline.stop) stopper.add(pipeline.stop);
  const content = all.filter((w) => stopper.runString(w).length > 0);
  const words = content.length ? content : all;
  if (words.length === 0) return [];
  const typing = !/[^\p{L}\p{N}]$/u.test(read);
  const stemmer = new lunr.Pipeline();
  pipeline.search.forEach((fn: any) => stemmer.add(fn));
  const folder = new lunr.Pipeline();
  folder.add(pipeline.fold);

  const has = (term: string) => Object.prototype.hasOwnProperty.call(idx.invertedIndex, term);
  /** Every character the index's terms use, so typo corrections work in any script. */
  const alphabet = (): string[] => {
    if (!idx.giAlphabet) {
      const seen: Record<string, boolean> = {};
      Object.keys(idx.invertedIndex).forEach((t) => Array.from(t).forEach((ch) => (seen[ch] = true)));
      idx.giAlphabet = Object.keys(seen);
    }
    return idx.giAlphabet;
  };
  /** Candidates left to try for typo corrections in this query (see `MAX_CANDIDATES`). */
  let left = MAX_CANDIDATES;
  /**
   * Index terms that the word becomes after one edit (a letter deleted, inserted, replaced, or two
   * swapped) and stemming, trying at most `budget` candidates: deletions and swaps, the fewest,
   * first. The index holds stems, so a typo in a word's ending ("housign") is matched by correcting
   * the word first and stemming after.
   */
  const corrections = (word: string, stemmed: string | undefined, budget: number): string[] => {
    const chars = Array.from(word);
    const n = chars.length;
    const found: Record<string, boolean> = {};
    let tried = 0;
    /** Tries the word with `removed` letters at `at` replaced by `inserted`. */
    const edit = (at: number, removed: number, inserted: string[]) => {
      tried++;
      const term = stemmer.runString(chars.slice(0, at).concat(inserted, chars.slice(at + removed)).join(''))[0];
      if (term && term !== stemmed && has(term)) found[term] = true;
    };
    for (let i = 0; i < n && tried < budget; i++) edit(i, 1, []);
    for (let i = 0; i < n - 1 && tried < budget; i++) edit(i, 2, [chars[i + 1]!, chars[i]!]);
    const abc = alphabet();
    for (let i = 0; i <= n && tried < budget; i++) {
      for (let k = 0; k < abc.length && tried < budget; k++) {
        const ch = abc[k]!;
        if (i < n && ch !== chars[i]) edit(i, 1, [ch]);
        if (tried < budget) edit(i, 0, [ch]);
      }
    }
    left -= tried;
    return Object.keys(found);
  };

  /** The clauses for one word; `share` is its part of the candidates left for typo corrections. */
  const clausesFor = (word: string, last: boolean, share: number) => {
    const stemmed = stemmer.runString(word)[0];
    const folded = folder.runString(word)[0] || word;
    const clauses: any[] = [];
    if (stemmed) clauses.push({ term: stemmed, boost: 10, usePipeline: false });
    if (folded !== stemmed) clauses.push({ term: folded, boost: 8, usePipeline: false });
    const cut = Array.from(word).length === MAX_LETTERS;
    if ((last && typing) || cut) clauses.push({ term: folded, boost: 4, usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
    const letters = Array.from(folded).length;
    if (letters >= 5 && letters <= MAX_TYPO_LETTERS) {
      if (stemmed) clauses.push({ term: stemmed, boost: 1, usePipeline: false, editDistance: 1 });
      corrections(folded, stemmed, share).forEach((term) => clauses.push({ term, boost: 1, usePipeline: false }));
    }
    return clauses;
  };
  const run = (clauses: any[]) =>
    idx.query((q: any) => {
      clauses.forEach((c) => q.term(c.term, c));
    });

  // Each word may use its even share of the candidates left; what a short word leaves goes to the next.
  const perWord = words.map((w, i) => clausesFor(w, i === words.length - 1, Math.floor(left / (words.length - i))));
  const counts: Record<string, number> = {};
  if (words.length > 1) {
    perWord.forEach((clauses) => {
      run(clauses).forEach((r: any) => {
        counts[r.ref] = (counts[r.ref] || 0) + 1;
      });
    });
  }
  const hits: SearchHit[] = run(perWord.flat()).map((r: any) => ({
    ref: r.ref,
    score: r.score,
    words: words.length > 1 ? counts[r.ref] || 0 : 1,
    terms: Object.keys(r.matchData.metadata),
  }));
  return hits.sort((a, b) => b.words - a.words || b.score - a.score);
}
