
/** What one search result shows. */
export interface SearchDoc {
  title: string;
  url: string;
  /** Calendar day, `YYYY-MM-DD`. */
  date: string | null;
  /** The date as the site's pages show it (format and language of the site). */
  dateText: string | null;
  summary: string;
}

/** One post or page as the index sees it. */
export interface SearchEntry {
  /** Hash of the indexed text (every field below but `doc`): equal keys, equal terms. */
  key?: string;
  doc: SearchDoc;
  title: string;
  tags: string[];
  series: string | null;
  authors: string[];
  summary: string;
  body: string;
}

/** The public index format (`search/index.json`, version 1). */
export interface SearchIndexFile {
  version: 1;
  lunr: string;
  language: string;
  index: object;
  docs: Record<string, SearchDoc>;
}

/** Field weights: a word in the title counts most. */
export const FIELD_BOOSTS = { title: 10, tags: 5, series: 3, author: 3, summary: 2, body: 1 } as const;

/** The short ref of the n-th entry: base 36, so refs stay short. */
export function refOf(n: number): string {
  return n.toString(36);
}

/** A built index: its JSON text as UTF-8, and its size raw and gzipped. */
export interface BuiltIndex {
  contents: Uint8Array;
  /** The last raw and gzipped sizes actually measured: `gzipBytes` is estimated from them when this is not the index's own raw size. */
  measured?: { bytes: number; gzipBytes: number };
  /** Set when the terms kept from earlier builds could not be read (they were set aside, and every entry analysed). */
  unreadableTerms?: string;
  bytes: number;
  gzipBytes: number;
}
