import fs from 'node:fs';
import type { SiteConfig } from '../config/types.js';
import type { OutputFile } from '../output/files.js';
import type { Post } from '../content/post.js';
import type { Collections } from '../site/collections.js';
import type { ViewBuilder } from '../site/view.js';
import { warning, type Message } from '../util/messages.js';
import type { BuiltIndex, SearchDoc, SearchEntry } from './index.js';
import { buildSearchIndex, type EntryTerms, type LazyTerms } from './terms.js';
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

/** What the index takes of a post or page, but for its result card. */
function entryOf(p: Post): Omit<SearchEntry, 'doc'> & { key: string } {
  const entry = { key: textKey(p), title: p.title, tags: p.tags, series: p.series, authors: p.authors, summary: p.summary };
  // The body is read only when an index needs it: a post's text may wait in the cache on disk.
  return Object.defineProperty(entry, 'body', { get: () => p.text, enumerable: true }) as Omit<SearchEntry, 'doc'> & { key: string };
}

/** The published posts and pages, in the index's order. */
const indexed = (c: Collections): Post[] => [...c.posts, ...c.pages];

/** Collects the index's input from the published posts and pages. */
export function planSearch(config: Readonly<SiteConfig>, c: Collections, views: ViewBuilder, previous?: SearchIndexInfo | null): SearchPlan {
  const entries: SearchEntry[] = indexed(c).map((p) => {
    const card = views.card(p);
    const doc = { title: p.title, url: card.url, date: p.date?.day ?? null, dateText: card.date?.display ?? null, summary: p.summary };
    return Object.assign(entryOf(p), { doc });
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

/**
 * An index started as soon as the posts are collected, before the result cards are known (they
 * need the site planned): its builder computes the terms' part meanwhile (see `SearchWorker`).
 */
export interface EarlyIndex {
  /** The keys of the entries it is built from, in order. */
  keys: string[];
  /** Completes the index with the entries' result cards. */
  finish(docs: SearchDoc[]): Promise<BuiltIndex>;
  /** Drops it: its input turned out to be the last index's, or the build failed. */
  cancel(): void;
}

/**
 * Starts building the index of the collected posts with `build`, to be completed with their result
 * cards. `build` is told the keys of the posts parsed in this build (of their sources, `fresh`):
 * their terms are new to the builder, and their texts are sent at once.
 */
export function startIndex(
  c: Collections,
  fresh: ReadonlySet<string>,
  build: (entries: EntryTerms[], docs: Promise<SearchDoc[]>, whole: ReadonlySet<string>) => Promise<BuiltIndex>,
): EarlyIndex {
  const posts = indexed(c);
  const entries = posts.map(entryOf);
  const whole = new Set(entries.flatMap((e, i) => (fresh.has(posts[i]!.source) ? [e.key] : [])));
  let give: (docs: SearchDoc[]) => void = () => undefined;
  let drop: (why: Error) => void = () => undefined;
  const docs = new Promise<SearchDoc[]>((resolve, reject) => {
    give = resolve;
    drop = reject;
  });
  // Dropped, it is nobody's failure (and `build` may have failed before it listened to `docs`).
  docs.catch(() => undefined);
  const built = build(entries, docs, whole);
  built.catch(() => undefined);
  return {
    keys: entries.map((e) => e.key),
    finish(cards) {
      give(cards);
      return built;
    },
    cancel: () => drop(new Error('the search index started early was not needed')),
  };
}

/** The index file for a built index, with its size warning. */
export function indexFile(plan: SearchPlan, built: BuiltIndex, warnAtGzipBytes = INDEX_WARN_GZIP_BYTES): { file: OutputFile; info: SearchIndexInfo; messages: Message[] } {
  const estimated = built.measured && built.measured.bytes !== built.bytes;
  const info: SearchIndexInfo = { key: plan.key, bytes: built.bytes, gzipBytes: built.gzipBytes, ...(estimated ? { measured: built.measured } : {}) };
  return { file: { path: SEARCH_OUTPUTS.index, contents: built.contents, key: `search:${plan.key}` }, info, messages: sizeWarning(info, warnAtGzipBytes) };
}

/** The warning for an index too large to download before a first search, if it is. */
export function sizeWarning(info: SearchIndexInfo, warnAtGzipBytes: number): Message[] {
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
    /** An index of these posts started early: used when it is needed (and dropped when not). */
    early?: EarlyIndex | null;
  } = {},
): Promise<SearchStage> {
  const plan = planSearch(config, c, views, options.previous);
  const warnAt = options.warnAtGzipBytes ?? INDEX_WARN_GZIP_BYTES;
  const early = options.early;
  if (plan.unchanged && options.previous) {
    early?.cancel();
    return Promise.resolve({ files: plan.scripts, kept: [SEARCH_OUTPUTS.index], info: options.previous, messages: sizeWarning(options.previous, warnAt) });
  }
  const fits = early?.keys.length === plan.entries.length && plan.entries.every((e, i) => e.key === early.keys[i]);
  if (!fits) early?.cancel();
  const built = fits
    ? early!.finish(plan.entries.map((e) => e.doc))
    : options.build
      ? options.build(plan.entries, config.language)
      : buildSearchIndex(plan.entries, config.language, options.terms?.get());
  return built.then((index) => {
    const built = indexFile(plan, index, warnAt);
    const unreadable = index.unreadableTerms
      ? [warning('', `the build cache's search terms could not be read (${index.unreadableTerms}); they were discarded and every post was analysed again`, 'cache/discarded')]
      : [];
    return { files: [...plan.scripts, built.file], kept: [], info: built.info, messages: [...unreadable, ...built.messages] };
  });
}
