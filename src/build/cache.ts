import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SiteConfig } from '../config/types.js';
import type { MeasuredImage } from '../content/images.js';
import type { ParseResult, Post } from '../content/post.js';
import { MARKER } from '../output/writer.js';
import type { SearchIndexInfo } from '../search/files.js';
import { LazyTerms, TermCache } from '../search/terms.js';
import { signature } from '../util/hash.js';
import { writeWhole, writeWholeNow } from '../util/atomic.js';
import { fileTasks } from '../util/limit.js';
import { CacheReadError, warning, type Message } from '../util/messages.js';
import { configKey, postsOf, type BuildOutcome, type BuildState, type ParsedSource } from './state.js';

/**
 * The build cache: what one build leaves for the next run of gi-build, in a folder of the site
 * (`.gi-cache/`), so that a second build only parses, renders, indexes and writes what changed.
 * It holds:
 *
 * - `state.json`: the `BuildState` of the last build (a `CacheFile`), posts without their HTML and text;
 * - `content/<html hash>-<text hash>.json`: each post's HTML and text, read only when needed;
 * - `terms.bin`: each indexed text's search terms (`TermCache#toBytes`).
 *
 * A cache that cannot be read, or was written by another gi-build, is discarded with a warning:
 * the build then starts from scratch.
 */
export interface CacheFile {
  /** This layout's number: a cache of another layout is discarded. */
  format: typeof FORMAT;
  /** The resolved config with gi-build's version and plugin set (`configKey`): any change discards the whole cache. */
  configKey: string;
  /** The output folder `outputs` describe: another folder's files are not known. */
  outDir: string;
  /** Signature of that folder's marker file: another one means the folder was written since, and `outputs` are not trusted. */
  marker: string | null;
  /** Each source's signature, bytes hash and parse result (a post without `html` and `text`): stale when the bytes change. */
  sources: [string, { signature: string; sourceHash?: string; result: { post: Omit<Post, 'html' | 'text'> | null; messages: Message[] } }][];
  /** Page keys (layout + view model hashes) and the templates they were rendered with: stale under other templates. */
  templatesKey: string | null;
  pages: [string, string][];
  /** The search index's input hash and size: an equal input means the index file stands. */
  search: SearchIndexInfo | null;
  /** Hashes of the files written to the output folder: equal files are not written again. */
  outputs: [string, string][];
  /** Image sizes by path: stale when the image file's signature changes. */
  images: [string, MeasuredImage][];
  /** What the last successful build made of its inputs (absent from caches written before it was kept): stale as `BuildOutcome` says. */
  outcome?: BuildOutcome | null;
}

const FORMAT = 1;

/** The search terms' file in the cache folder. */
export const TERMS_FILE = 'terms.bin';

/** Where the cache lives, and whether this build may read it (`--clean`: no). */
export interface CacheOptions {
  dir: string;
  clean?: boolean;
}

/** The output folder's marker as the cache knows it: rewritten (new inode) whenever the folder is changed in place. */
function markerSignature(outDir: string): Promise<string | null> {
  return fs.stat(path.join(outDir, MARKER)).then((st) => `${st.ino}:${signature(st)}`, () => null);
}

/** The cache folder of a site. */
export function cacheDir(root: string): string {
  return path.join(root, '.gi-cache');
}

export { CacheReadError };

const contentName = (p: Pick<Post, 'htmlHash' | 'textHash'>) => `${p.htmlHash}-${p.textHash}.json`;

/** A post's HTML and text while they are not yet in the cache (null once they are). */
interface Held {
  content: { html: string; text: string } | null;
}

/**
 * A post whose HTML and text are read from the cache when used (and not kept), once `held` lets go
 * of them. Its other fields are its own; `html` and `text` are getters of the class, shared by
 * every such post, so that all of them have one shape: posts with getters of their own each had
 * another, and every stage that reads thousands of posts ran several times slower.
 */
class LazyPost {
  constructor(meta: Omit<Post, 'html' | 'text'>, content: () => { html: string; text: string }) {
    Object.assign(this, meta);
    LAZY.set(this as unknown as Post, { meta, content });
  }

  get html(): string {
    return LAZY.get(this as unknown as Post)!.content().html;
  }

  get text(): string {
    return LAZY.get(this as unknown as Post)!.content().text;
  }
}

/** A post whose HTML and text are read from the cache when used (and not kept), once `held` lets go of them. */
function lazyPost(meta: Omit<Post, 'html' | 'text'>, dir: string, held: Held = { content: null }): Post {
  const file = path.join(dir, 'content', contentName(meta));
  const read = (): { html: string; text: string } => {
    if (held.content) return held.content;
    try {
      const data = JSON.parse(fsSync.readFileSync(file, 'utf8')) as { html: unknown; text: unknown };
      if (typeof data.html !== 'string' || typeof data.text !== 'string') throw new Error('not a content file');
      return data as { html: string; text: string };
    } catch (err) {
      throw new CacheReadError(`${path.basename(file)}: ${(err as Error).message}`);
    }
  };
  return new LazyPost(meta, read) as unknown as Post;
}

/** Posts whose content is in the cache already: what they are made of but for it, and how it is read. */
const LAZY = new WeakMap<Post, { meta: Omit<Post, 'html' | 'text'>; content: () => { html: string; text: string } }>();

/** A post without its HTML and text, read without calling a lazy post's getters. */
function withoutContent(post: Post): Omit<Post, 'html' | 'text'> {
  const known = LAZY.get(post);
  if (known) return known.meta;
  const { html: _html, text: _text, ...rest } = post;
  return rest;
}

/**
 * Writes the content files of posts whose content is not in the cache yet, a few at a time;
 * `existing` (the names in the content folder) gains the names written.
 */
async function writeContent(contentDir: string, existing: Set<string>, posts: Iterable<Post>): Promise<void> {
  const run = fileTasks();
  const writes: Promise<void>[] = [];
  for (const post of posts) {
    const name = contentName(post);
    if (existing.has(name) || LAZY.has(post)) continue;
    existing.add(name);
    writes.push(writeContentFile(run, path.join(contentDir, name), { html: post.html, text: post.text }));
  }
  await Promise.all(writes);
}

/** Writes one content file, whole; its text is made only when it is written (many may wait on a slow disk). */
function writeContentFile(run: ReturnType<typeof fileTasks>, file: string, content: { html: string; text: string }): Promise<void> {
  return run(
    () => writeWholeNow(file, JSON.stringify(content)),
    () => writeWhole(file, JSON.stringify(content)),
  );
}

/** The warning for a cache set aside because something in it could not be used. */
export function discarded(dir: string, why: string): Message {
  return warning(
    '',
    `the build cache in ${path.basename(dir)}/ could not be used (${why}); it was discarded and everything is built again`,
    'cache/discarded',
    {},
    'Nothing is lost: the cache only saves time. `gi-build --clean` always builds without it.',
  );
}

/** Where a build puts the content of the posts it parses (see `contentStore`). */
export interface ContentStore {
  /** The post, reading its HTML and text back from the store once they are written there. */
  keep(post: Post): Post;
  /** Resolves when every write begun has ended; a post whose write failed keeps its content in memory. */
  settled(): Promise<void>;
}

/**
 * Puts the content of posts into the cache as they are parsed, so that a large build never holds
 * every post's HTML at once: each post's content is held in memory only until its file is written.
 * The first write that fails is passed to `onError`; the build goes on with that content in memory.
 */
export function contentStore(options: CacheOptions, onError: (err: Error) => void): ContentStore {
  const contentDir = path.join(options.dir, 'content');
  let listing: Promise<Set<string>> | undefined;
  /** The write of each content file, by name: posts with the same content share one. */
  const writes = new Map<string, Promise<void>>();
  const ended: Promise<unknown>[] = [];
  const run = fileTasks();
  /** Writes a content file unless the cache has it. */
  const write = (name: string, content: { html: string; text: string }): Promise<void> => {
    listing ??= fs.mkdir(contentDir, { recursive: true }).then(async () => new Set(await fs.readdir(contentDir)));
    return listing.then((existing) => (existing.has(name) ? undefined : writeContentFile(run, path.join(contentDir, name), content)));
  };
  let failed = false;
  return {
    keep(post) {
      if (LAZY.has(post)) return post;
      const name = contentName(post);
      const held: Held = { content: { html: post.html, text: post.text } };
      let written = writes.get(name);
      if (!written) {
        written = write(name, held.content!);
        writes.set(name, written);
      }
      // Let go of the content only once its file is there; should the write fail, keep it.
      const done = written.then(
        () => {
          held.content = null;
        },
        (err: Error) => {
          if (!failed) onError(err);
          failed = true;
        },
      );
      ended.push(done);
      return lazyPost(withoutContent(post), options.dir, held);
    },
    settled: async () => {
      await Promise.all(ended);
    },
  };
}

/**
 * Reads the cache into the state a build continues from; undefined (and perhaps a warning) when
 * there is none to use. A cache found unusable is removed, so the build writes a fresh one.
 */
export async function loadCache(config: Readonly<SiteConfig>, options: CacheOptions, version: string): Promise<{ state?: BuildState; messages: Message[] }> {
  const loaded = await readCache(config, options, version);
  if (loaded.messages.length > 0) await removeCache(options);
  return loaded;
}

async function readCache(config: Readonly<SiteConfig>, options: CacheOptions, version: string): Promise<{ state?: BuildState; messages: Message[] }> {
  // Nothing of a cache is used with --clean, or when it was made for another config or version:
  // it goes, search terms included, and the build writes a fresh one.
  if (options.clean) {
    await removeCache(options);
    return { messages: [] };
  }
  let text: string;
  try {
    text = await fs.readFile(path.join(options.dir, 'state.json'), 'utf8');
  } catch {
    return { messages: [] };
  }
  try {
    const data = JSON.parse(text) as CacheFile;
    if (data.format !== FORMAT) return { messages: [discarded(options.dir, 'it was written by another version of gi-build')] };
    // Another config or gi-build version: nothing in it holds, and that is no surprise.
    if (data.configKey !== configKey(config, version)) {
      await removeCache(options);
      return { messages: [] };
    }
    const parsed = new Map<string, ParsedSource>(
      data.sources.map(([source, entry]) => {
        const post = entry.result.post ? lazyPost(entry.result.post, options.dir) : null;
        const result: ParseResult = { post, messages: entry.result.messages };
        return [source, { signature: entry.signature, sourceHash: entry.sourceHash, result }];
      }),
    );
    // Every post's content must be there: checked now, so that a missing file does not fail the build later.
    const contents = new Set(await fs.readdir(path.join(options.dir, 'content')).catch(() => []));
    for (const { result } of parsed.values()) {
      if (result.post && !contents.has(contentName(result.post))) return { messages: [discarded(options.dir, `the content of ${result.post.source} is missing`)] };
    }
    const marker = await markerSignature(config.outDir);
    const outputsHold = data.outDir === config.outDir && data.marker !== null && data.marker === marker;
    // Terms are read only when a search index must be built; one that cannot be read fails that build (see CacheReadError).
    const termsFile = path.join(options.dir, TERMS_FILE);
    const terms = new LazyTerms(() => {
      let bytes: Uint8Array;
      try {
        bytes = fsSync.readFileSync(termsFile);
      } catch {
        return new TermCache(config.language);
      }
      try {
        const cache = TermCache.fromBytes(bytes);
        return cache.language === config.language ? cache : new TermCache(config.language);
      } catch (err) {
        throw new CacheReadError(`${TERMS_FILE}: ${(err as Error).message}`);
      }
    });
    const state: BuildState = {
      configKey: data.configKey,
      parsed,
      templates: null,
      templatesKey: outputsHold ? data.templatesKey : null,
      pages: new Map(outputsHold ? data.pages : []),
      search: outputsHold ? readSearch(data.search) : null,
      terms,
      outputs: new Map(outputsHold ? data.outputs : []),
      images: new Map(data.images),
      site: null,
      outcome: outputsHold ? readOutcome(data.outcome) : null,
    };
    return { state, messages: [] };
  } catch (err) {
    return { messages: [discarded(options.dir, (err as Error).message)] };
  }
}

/** An outcome as read from the cache, when it has the shape this version writes, item by item; else none, and the build does all its work. */
function readOutcome(value: unknown): BuildOutcome | null {
  const o = value as Partial<BuildOutcome> | null | undefined;
  if (!o || typeof o !== 'object') return null;
  const texts = (list: unknown) => Array.isArray(list) && list.every((t) => typeof t === 'string');
  const pairs = (list: unknown) => Array.isArray(list) && list.every((p) => Array.isArray(p) && p.length === 2 && texts(p));
  const fields = typeof o.inputs === 'string' && typeof o.at === 'number' && (o.due === null || typeof o.due === 'number') && typeof o.searchKey === 'string';
  const lists = texts(o.images) && pairs(o.copies) && pairs(o.sources) && Array.isArray(o.messages) && o.messages.every(isWarning);
  const stats = typeof o.stats === 'object' && o.stats !== null && (['posts', 'pages', 'files', 'drafts'] as const).every((k) => typeof o.stats![k] === 'number');
  return fields && lists && stats ? (o as BuildOutcome) : null;
}

/** A warning as a build makes it (an outcome has no errors: a build with errors keeps none). */
function isWarning(value: unknown): boolean {
  const m = value as Partial<Message> | null;
  return typeof m === 'object' && m !== null && m.severity === 'warning' && typeof m.file === 'string' && typeof m.reason === 'string' && typeof m.rule === 'string';
}

/** A search index's description as read from the cache, when it has the shape this version writes; else none, and the index is built again. */
function readSearch(value: unknown): SearchIndexInfo | null {
  const s = value as Partial<SearchIndexInfo> | null | undefined;
  return s && typeof s.key === 'string' && typeof s.bytes === 'number' && typeof s.gzipBytes === 'number' ? (s as SearchIndexInfo) : null;
}

/** Writes the state a build returned into the cache, with the content of posts parsed in this run. */
export async function saveCache(config: Readonly<SiteConfig>, options: CacheOptions, state: BuildState): Promise<void> {
  const dir = options.dir;
  const contentDir = path.join(dir, 'content');
  await fs.mkdir(contentDir, { recursive: true });
  const existing = new Set(await fs.readdir(contentDir));
  const posts = postsOf(state.parsed);
  const wanted = new Set(posts.map(contentName));
  const stale = [...existing].filter((n) => !wanted.has(n));
  await writeContent(contentDir, existing, posts);

  const data: CacheFile = {
    format: FORMAT,
    configKey: state.configKey,
    outDir: config.outDir,
    marker: await markerSignature(config.outDir),
    sources: [...state.parsed].map(([source, entry]) => {
      const post = entry.result.post;
      return [source, { signature: entry.signature, sourceHash: entry.sourceHash, result: { post: post && withoutContent(post), messages: entry.result.messages } }];
    }),
    templatesKey: state.templatesKey,
    pages: [...state.pages],
    search: state.search,
    outputs: [...state.outputs],
    images: [...state.images],
    outcome: state.outcome,
  };
  // Written whole, so a build stopped half-way leaves a whole cache.
  if (state.terms?.used) await writeWhole(path.join(dir, TERMS_FILE), state.terms.get().toBytes());
  await writeWhole(path.join(dir, 'state.json'), JSON.stringify(data));
  // Content no post refers to any more goes once the new state is in place.
  await Promise.all(stale.map((n) => fs.rm(path.join(contentDir, n), { force: true })));
}

/** Removes the cache (after it was found unusable). */
export async function removeCache(options: CacheOptions): Promise<void> {
  await fs.rm(options.dir, { recursive: true, force: true });
}
