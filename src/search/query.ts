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
 * prefix when it is the word being typed, and with one typo when it has 5 or more letters
 * (weakest). Documents that match all words rank before those that match some.
 */
export function searchIndex(lunr: any, idx: any, pipeline: { search: any[]; fold: any; stop: any }, text: string): SearchHit[] {
  const all = String(text)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 12);
  // Stop words ("the", "und") are not in the index; they only count when they are all there is.
  const stopper = new lunr.Pipeline();
  if (pipeline.stop) stopper.add(pipeline.stop);
  const content = all.filter((w) => stopper.runString(w).length > 0);
  const words = content.length ? content : all;
  if (words.length === 0) return [];
  const typing = !/[^\p{L}\p{N}]$/u.test(String(text));
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
  /**
   * Index terms that the word becomes after one edit (a letter deleted, inserted, replaced, or two
   * swapped) and stemming. The index holds stems, so a typo in a word's ending ("housign") is
   * matched by correcting the word first and stemming after.
   */
  const corrections = (word: string, stemmed: string | undefined): string[] => {
    const chars = Array.from(word);
    const found: Record<string, boolean> = {};
    const tryWord = (candidate: string[]) => {
      const term = stemmer.runString(candidate.join(''))[0];
      if (term && term !== stemmed && has(term)) found[term] = true;
    };
    const abc = alphabet();
    for (let i = 0; i <= chars.length; i++) {
      if (i < chars.length) tryWord(chars.slice(0, i).concat(chars.slice(i + 1)));
      if (i < chars.length - 1) tryWord(chars.slice(0, i).concat(chars[i + 1]!, chars[i]!, chars.slice(i + 2)));
      abc.forEach((ch) => {
        if (i < chars.length && ch !== chars[i]) tryWord(chars.slice(0, i).concat(ch, chars.slice(i + 1)));
        tryWord(chars.slice(0, i).concat(ch, chars.slice(i)));
      });
    }
    return Object.keys(found);
  };

  const clausesFor = (word: string, last: boolean) => {
    const stemmed = stemmer.runString(word)[0];
    const folded = folder.runString(word)[0] || word;
    const clauses: any[] = [];
    if (stemmed) clauses.push({ term: stemmed, boost: 10, usePipeline: false });
    if (folded !== stemmed) clauses.push({ term: folded, boost: 8, usePipeline: false });
    if (last && typing) clauses.push({ term: folded, boost: 4, usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
    if (Array.from(folded).length >= 5) {
      if (stemmed) clauses.push({ term: stemmed, boost: 1, usePipeline: false, editDistance: 1 });
      corrections(folded, stemmed).forEach((term) => clauses.push({ term, boost: 1, usePipeline: false }));
    }
    return clauses;
  };
  const run = (clauses: any[]) =>
    idx.query((q: any) => {
      clauses.forEach((c) => q.term(c.term, c));
    });

  const perWord = words.map((w, i) => clausesFor(w, i === words.length - 1));
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
