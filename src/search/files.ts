import fs from 'node:fs';
import type { SiteConfig } from '../config/types.js';
import type { OutputFile } from '../output/files.js';
import type { Post } from '../content/post.js';
import type { Collections } from '../site/collections.js';
import type { ViewBuilder } from '../site/view.js';
import { warning, type Message } from '../util/messages.js';
import type { BuiltIndex, SearchEntry } from './index.js';
import { buildSearchIndex, type LazyTerms } from './terms.js';
import { LUNR_FILES, LUNR_VERSION, pipelineScript } from './lunr.js';
import { hash } from '../util/hash.js';
import { searchIndex } from './query.js';

/** Output paths the search writes; nothing else may claim them. */
export const SEARCH_OUTPUTS = { index: 'search/index.json', lunr: 'assets/lunr.min.js', core: 'assets/search-core.js' } as const;

/** Above this gzipped size the index makes the first search slow on a phone. */
export const INDEX_WARN_GZIP_BYTES = 1_000_000;

/** What identifies a built index, and its size. */
export interface SearchIndexInfo {
  key: string;
  bytes: number;
  gzipBytes: number;
  /** The last measured raw and gzipped sizes, when `gzipBytes` was estimated from them (see `GzipPlan`). */
  measured?: { bytes: number; gzipBytes: number };
}

/** The search's output files and a warning when the index is too large. */
export interface SearchStage {
  files: OutputFile[];
  /** Output paths whose files from the last build stand (an unchanged index). */
  kept: string[];
  info: SearchIndexInfo;
  messages: Message[];
}

/** What the search needs before the (slow) index is built: its input, and whether it changed. */
export interface SearchPlan {
  entries: SearchEntry[];
  key: string;
  /** True when the input equals what `previous` was built from: the index on disk stands. */
  unchanged: boolean;
  /** lunr and the browser half of the pipeline: cheap, written with every build. */
  scripts: OutputFile[];
}

/** The key of a post's indexed text, by post: a parsed post never changes, so neither does its key. */
const textKeys = new WeakMap<Post, string>();

function textKey(p: Post): string {
  let key = textKeys.get(p);
  if (key === undefined) {
    key = hash(JSON.stringify([p.title, p.tags, p.series, p.authors, p.summary, p.textHash]));
    textKeys.set(p, key);
  }
  return key;
}

/** Collects the index's input from the published posts and pages. */
export function planSearch(config: Readonly<SiteConfig>, c: Collections, views: ViewBuilder, previous?: SearchIndexInfo | null): SearchPlan {
  const entries: SearchEntry[] = [...c.posts, ...c.pages].map((p) => {
    const card = views.card(p);
    const entry = {
      key: textKey(p),
      doc: { title: p.title, url: card.url, date: p.date?.day ?? null, dateText: card.date?.display ?? null, summary: p.summary },
      title: p.title,
      tags: p.tags,
      series: p.series,
      authors: p.authors,
      summary: p.summary,
    };
    // The body is read only when an index needs it: a post's text may wait in the cache on disk.
    return Object.defineProperty(entry, 'body', { get: () => p.text, enumerable: true }) as SearchEntry;
  });
  // The browser gets the very functions the index was built with: their source text, not a copy.
  const core = `${pipelineScript(config.language)}\nwindow.giSearchQuery = ${searchIndex.toString()};\n`;
  // The index is made of the entries' texts (by key) and their result cards.
  const key = hash(LUNR_VERSION, config.language, JSON.stringify(entries.map((e) => [e.key, e.doc])));
  return {
    entries,
    key,
    unchanged: previous?.key === key,
    scripts: [
      { path: SEARCH_OUTPUTS.lunr, contents: fs.readFileSync(LUNR_FILES.lunr) },
      { path: SEARCH_OUTPUTS.core, contents: core },
    ],
  };
}

/** The index file for a built index, with its size warning. */
export function indexFile(plan: SearchPlan, built: BuiltIndex, warnAtGzipBytes = INDEX_WARN_GZIP_BYTES): { file: OutputFile; info: SearchIndexInfo; messages: Message[] } {
  const estimated = built.measured && built.measured.bytes !== built.bytes;
  const info: SearchIndexInfo = { key: plan.key, bytes: built.bytes, gzipBytes: built.gzipBytes, ...(estimated ? { measured: built.measured } : {}) };
  return { file: { path: SEARCH_OUTPUTS.index, contents: built.contents, key: `search:${plan.key}` }, info, messages: sizeWarning(info, warnAtGzipBytes) };
}

function sizeWarning(info: SearchIndexInfo, warnAtGzipBytes: number): Message[] {
  if (info.gzipBytes <= warnAtGzipBytes) return [];
  return [
    warning(
      SEARCH_OUTPUTS.index,
      `the search index is ${info.measured ? 'about ' : ''}${(info.gzipBytes / 1e6).toFixed(1)} MB gzipped; visitors download it before their first search`,
      'search/size',
      {},
      'Shorten the text that is indexed, or split very long posts; summaries and titles alone make a much smaller index.',
    ),
  ];
}

/**
 * Builds the search's files in this thread: the index is built before this returns, and only its
 * gzipped size is taken on Node's thread pool (start this, render pages, then await it). When the
 * index's input is the same as `previous` describes, the index is not built again and its file
 * from the last build stands.
 */
export function searchFiles(
  config: Readonly<SiteConfig>,
  c: Collections,
  views: ViewBuilder,
  options: {
    warnAtGzipBytes?: number;
    previous?: SearchIndexInfo | null;
    /** Terms kept from earlier builds, for building the index in this thread. */
    terms?: LazyTerms;
    /** Builds the index elsewhere (a worker thread) instead of in this thread. */
    build?: (entries: SearchEntry[], language: string) => Promise<BuiltIndex>;
  } = {},
): Promise<SearchStage> {
  const plan = planSearch(config, c, views, options.previous);
  const warnAt = options.warnAtGzipBytes ?? INDEX_WARN_GZIP_BYTES;
  if (plan.unchanged && options.previous) {
    return Promise.resolve({ files: plan.scripts, kept: [SEARCH_OUTPUTS.index], info: options.previous, messages: sizeWarning(options.previous, warnAt) });
  }
  const built = options.build ? options.build(plan.entries, config.language) : buildSearchIndex(plan.entries, config.language, options.terms?.get());
  return built.then((index) => {
    const built = indexFile(plan, index, warnAt);
    const unreadable = index.unreadableTerms
      ? [warning('', `the build cache's search terms could not be read (${index.unreadableTerms}); they were discarded and every post was analysed again`, 'cache/discarded')]
      : [];
    return { files: [...plan.scripts, built.file], kept: [], info: built.info, messages: [...unreadable, ...built.messages] };
  });
}
