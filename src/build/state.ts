import type { SiteConfig } from '../config/types.js';
import type { MeasuredImage } from '../content/images.js';
import type { ParseResult, Post } from '../content/post.js';
import type { TemplateSet } from '../render/templates.js';
import type { SearchIndexInfo } from '../search/files.js';
import type { LazyTerms } from '../search/terms.js';
import { hash } from '../util/hash.js';
import type { Message } from '../util/messages.js';
import type { SiteModel } from './ahead.js';

/** One source as last read: what it was read at, and what parsing it gave. */
export interface ParsedSource {
  /** Modification time and size: when either differs, the file is read and parsed again. */
  signature: string;
  /** Hash of the file's bytes: a file whose signature changed but whose bytes did not is not parsed again. */
  sourceHash?: string;
  result: ParseResult;
}

/**
 * What one build leaves for the next, so that a rebuild does only the work a change requires.
 * Every field says what makes it stale; when in doubt, the caller drops the whole state.
 */
export interface BuildState {
  /** Hash of the resolved config and gi-build's version: a different key invalidates everything below. */
  configKey: string;
  /** Parse results by source path; an entry is stale when the file's signature changes. */
  parsed: Map<string, ParsedSource>;
  /** Compiled templates; stale as soon as any file under a template layer changes. */
  templates: TemplateSet | null;
  /** `TemplateSet#key` of the templates the page keys below were rendered with; the keys are stale under other templates. */
  templatesKey: string | null;
  /** Hash of each page's layout and view model, by output path: an equal hash means the page need not be rendered again. */
  pages: Map<string, string>;
  /** Hash of the search index's input (every entry's fields) and the index's sizes: an equal hash means the index need not be rebuilt. */
  search: SearchIndexInfo | null;
  /** Each indexed text's terms, by text key, for building the search index in this thread; null when the index is built elsewhere (a watch worker). Never stale: keyed by the text, and bound to one language. */
  terms: LazyTerms | null;
  /** Sizes of the images posts show, by site-relative path; an entry is stale when the file's signature changes. */
  images: Map<string, MeasuredImage>;
  /** Hash of each output file as written, by output path: equal files are not written again; paths no longer produced are removed. */
  outputs: Map<string, string>;
  /** The last successful build's plan and views, for writing an edited post's page ahead; null after a failed build. */
  site: SiteModel | null;
  /** What the last successful build made of its inputs, for a build that finds them all unchanged; null after a failed build. */
  outcome: BuildOutcome | null;
}

/** The figures a build reports. */
export interface BuildStats {
  posts: number;
  pages: number;
  files: number;
  drafts: number;
  searchIndexBytes: number;
  searchIndexGzipBytes: number;
}

/**
 * What a successful build made, beyond its files, kept so that a build that finds every input as
 * that one did can leave its output as it stands and report what it reported (see
 * `standsAsBuilt`). Stale when any input differs: `inputs`, each source (`BuildState.parsed`),
 * the images, the time (`due`), or the search index on disk.
 */
export interface BuildOutcome {
  /** Hash of the files found (sources, assets, static files), the templates' key and the robots.txt lines added: any other list or template makes the outcome stale. */
  inputs: string;
  /** The build's time (`BuildOptions.now`): a clock gone back past it makes the outcome stale (a post then in the past may now be in the future). */
  at: number;
  /** The earliest time a post left out as future becomes due (null: none is); from then on the outcome is stale. */
  due: number | null;
  /** The image files the posts show, found or not (the sizes of those found are in `BuildState.images`): stale when one appears, goes or changes. */
  images: string[];
  /** Files copied from the site folder to the output, as [output path, site-relative source]. */
  copies: [string, string][];
  /** The source of each page made from one, as [output path, site-relative source] (`BuildResult.sources`). */
  sources: [string, string][];
  /** The build's messages but the templates' and the sources' own, which a build meets again as it loads them, and but those `outcomeMessages` leaves out. */
  messages: Message[];
  /** The build's figures; those of the search index are taken from the index on disk instead (`BuildState.search`). Stale with the rest. */
  stats: BuildStats;
  /** The key of the search index the build called for: stale unless the index on disk (`BuildState.search`) has it. */
  searchKey: string;
}

/** The part of a config that changes a build's result, as one hash (functions by their source). */
export function configKey(config: Readonly<SiteConfig>, version: string): string {
  // Where the site and its output are does not change what a build makes: a site folder that
  // moves (a CI runner's checkout path) keeps its cache. The output folder is checked apart.
  const { root: _root, outDir: _outDir, ...rest } = config;
  const json = JSON.stringify(rest, (_, v: unknown) => (typeof v === 'function' ? `fn:${String(v)}` : v));
  return hash(version, json);
}

/** The posts of parse results. */
export function postsOf(parsed: ReadonlyMap<string, ParsedSource>): Post[] {
  return [...parsed.values()].flatMap((e) => (e.result.post ? [e.result.post] : []));
}
