import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SiteConfig } from '../config/types.js';
import type { SourceFile } from '../content/discover.js';
import type { ParseResult, Post } from '../content/post.js';
import { error, isPermissionDenied, type Message } from '../util/messages.js';
import { hash, signature } from '../util/hash.js';
import { fileTasks } from '../util/limit.js';
import { guardParser, isTimedOut, timedOut } from './guard.js';
import type { ParsedSource } from './state.js';

/** What the parse stage did. */
export interface ParseStage {
  posts: Post[];
  messages: Message[];
  parsed: Map<string, ParsedSource>;
  /** How many sources were read and parsed (the rest came from the previous build). */
  reparsed: number;
  /** The sources read and parsed, by site-relative path. */
  fresh: ReadonlySet<string>;
}

/** Parses one source's bytes with a config's Markdown pipeline. */
export type SourceParser = (source: Pick<SourceFile, 'kind' | 'path' | 'bundle'>, bytes: Uint8Array) => ParseResult;

/** The parsers of each config (they depend on nothing else), kept for the rebuilds to come: a timed-out source is not tried again. */
const parsers = new WeakMap<Readonly<SiteConfig>, { plain: SourceParser; guarded: SourceParser }>();

/**
 * The config's source parser. Its modules (the Markdown pipeline and the YAML parser, a quarter
 * of a second to load) are imported the first time one is needed, so a build with nothing to parse
 * does without them. A `guarded` one (for this thread; a worker is watched from outside) stops a
 * source that takes too long, and lets Ctrl-C stop it (see `guardParser`).
 */
export async function loadParser(config: Readonly<SiteConfig>, options: { guarded?: boolean } = {}): Promise<SourceParser> {
  const [{ parseText }, { createProcessor, renderBody }] = await Promise.all([import('../content/post.js'), import('../content/markdown.js')]);
  let made = parsers.get(config);
  if (!made) {
    const processor = createProcessor(config);
    const parseConfig = { timeZone: config.timeZone, limits: config.limits, plugins: config.remarkPlugins.length + config.rehypePlugins.length > 0 };
    const plain: SourceParser = (source, bytes) => parseText(source, bytes, parseConfig, (file, body, line) => renderBody(processor, file, body, line));
    made = { plain, guarded: guardParser(plain, config.limits.parseSeconds) };
    parsers.set(config, made);
  }
  return options.guarded ? made.guarded : made.plain;
}

/**
 * Each file's signature ('missing' for one that cannot be stat-ed), all asked for at once: with
 * callbacks rather than promises, thousands cost a third as much, and on a network share they
 * still wait on the server side by side rather than one after another.
 */
function statSignatures(files: string[]): Promise<string[]> {
  const signatures = new Array<string>(files.length);
  let left = files.length;
  return new Promise((resolve) => {
    if (left === 0) resolve(signatures);
    files.forEach((file, i) =>
      fsSync.stat(file, (err, st) => {
        signatures[i] = err ? 'missing' : signature(st);
        if (--left === 0) resolve(signatures);
      }),
    );
  });
}

/** Parses every source, reusing the previous build's result for files whose signature is unchanged. */
export async function parseAll(
  sources: SourceFile[],
  config: Readonly<SiteConfig>,
  previous: Map<string, ParsedSource> | undefined,
  options: {
    /**
     * Sources a watcher saw change: read again whatever their signature says. When given, it is
     * taken as complete, and other files known from the previous build are not looked at.
     */
    changed?: ReadonlySet<string>;
    onProgress?: (done: number, total: number) => void;
    /** Worker threads to parse in: 0 for none; by default, as many as there are cores (up to 4) for a few hundred sources or more. */
    workers?: number;
    /** Called once some source is found to need parsing again, before any is parsed. */
    onChange?: () => void;
    /** Takes each freshly parsed post as it comes, giving back the post to keep (see `ContentStore`). */
    keep?: (post: Post) => Post;
  } = {},
): Promise<ParseStage> {
  // With a watcher's list of changes, files it did not name are taken as they were: no need to stat them all.
  const trusted = (s: SourceFile) => options.changed !== undefined && !options.changed.has(s.path) && previous?.has(s.path);
  const asked = sources.filter((s) => !trusted(s));
  const answers = new Map((await statSignatures(asked.map((s) => s.absolute))).map((sig, i) => [asked[i]!.path, sig]));
  const stats = sources.map((s) => answers.get(s.path) ?? previous!.get(s.path)!.signature);
  // What can be taken from the previous build, and what must be parsed.
  const entries: (ParsedSource | undefined)[] = [];
  const todo: Unparsed[] = [];
  // Files known from the previous build whose signature changed: parsed again only if their bytes did.
  const touched: Unparsed[] = [];
  for (const [i, source] of sources.entries()) {
    const sig = stats[i]!;
    const entry = previous?.get(source.path);
    if (entry && entry.signature === sig && !options.changed?.has(source.path)) {
      entries.push(entry);
      continue;
    }
    entries.push(undefined);
    // Nothing to compare a new file with: it is read where it is parsed (in a worker, for many).
    (entry ? touched : todo).push({ index: i, source, signature: sig });
  }
  // Read all at once: a checkout (a CI runner's) gives every file a new time and the same bytes.
  const reads = await readAll(touched.map((t) => t.source));
  touched.forEach((t, j) => {
    const entry = previous!.get(t.source.path)!;
    const read = reads[j]!;
    // Kept only for a file to parse: a checkout's thousands of unchanged files are let go.
    reads[j] = undefined;
    // A file saved again (or checked out) with the same bytes parses as it did.
    if (read.bytes && entry.sourceHash === read.sourceHash) entries[t.index] = { ...entry, signature: t.signature };
    else todo.push({ ...t, read });
  });
  todo.sort((a, b) => a.index - b.index);
  if (todo.length > 0) options.onChange?.();

  let done = sources.length - todo.length;
  const keep = options.keep;
  // Each result as it comes: counted, and its post handed to `keep`.
  const accept = (r: HashedResult): HashedResult => {
    options.onProgress?.(++done, sources.length);
    return keep && r.result.post ? { ...r, result: { ...r.result, post: keep(r.result.post) } } : r;
  };
  const results = await parseMany(todo, config, accept, options.workers);
  // A source whose parse was stopped keeps no signature, so that the next build parses it again.
  todo.forEach((t, j) => (entries[t.index] = { signature: results[j]!.sourceHash === UNPARSED ? UNPARSED : t.signature, ...results[j]! }));

  const parsed = new Map<string, ParsedSource>();
  const posts: Post[] = [];
  const messages: Message[] = [];
  for (const [i, source] of sources.entries()) {
    const entry = entries[i]!;
    parsed.set(source.path, entry);
    messages.push(...entry.result.messages);
    if (entry.result.post) posts.push(entry.result.post);
  }
  return { posts, messages, parsed, reparsed: todo.length, fresh: new Set(todo.map((t) => t.source.path)) };
}

/** A source to parse; `read` when this thread has read it already (`bytes` null: it could not be). */
interface Unparsed {
  index: number;
  source: SourceFile;
  signature: string;
  read?: Read;
}

/** A source's bytes and their hash. */
export interface Read {
  bytes: Uint8Array | null;
  sourceHash: string;
}

/** A parse result with the hash of the bytes it was parsed from. */
export interface HashedResult {
  sourceHash: string;
  result: ParseResult;
}

/** A source's bytes as read (null: they could not be), with their hash. */
function readOf(bytes: Uint8Array | null): Read {
  return { bytes, sourceHash: bytes ? hash(bytes) : 'missing' };
}

/** Reads a source, synchronously: a parse worker has nothing else to do meanwhile. */
export function readSource(source: SourceFile): Read {
  let bytes: Uint8Array | null = null;
  try {
    bytes = fsSync.readFileSync(source.absolute);
  } catch {
    // Left to the main thread, which reads it again to report why.
  }
  return readOf(bytes);
}

/**
 * Parses one source read already; one that could not be read is read again, to fail as it does: a
 * file the user may not read is reported on it (and parsed again by the next build).
 */
async function parseRead(source: SourceFile, read: Read, parse: SourceParser): Promise<HashedResult> {
  let bytes = read.bytes;
  try {
    bytes ??= await fs.readFile(source.absolute);
  } catch (err) {
    if (!isPermissionDenied(err)) throw err;
    const reason = 'permission denied: gi-build may not read this file';
    return { sourceHash: UNPARSED, result: { post: null, messages: [error(source.path, reason, 'source/unreadable', {}, `Let your user read it, e.g. chmod u+r ${source.path}`)] } };
  }
  const result = parse(source, bytes);
  // A source stopped for taking too long is parsed again by the next build.
  return { sourceHash: isTimedOut(result) ? UNPARSED : read.sourceHash, result };
}

/** Below this many sources, starting worker threads costs more than it saves. */
const PARALLEL_FROM = 200;

/**
 * Parses sources in this thread, or spread over worker threads when there are many and the config
 * can be sent to them (a JavaScript config with plugins cannot: its functions stay in this thread).
 */
async function parseMany(todo: Unparsed[], config: Readonly<SiteConfig>, accept: (r: HashedResult) => HashedResult, workers?: number): Promise<HashedResult[]> {
  const count = workers ?? (todo.length >= PARALLEL_FROM ? Math.min(os.availableParallelism(), 4) : 0);
  const shareable = count > 1 ? shareableConfig(config) : null;
  const results: HashedResult[] = new Array(todo.length);
  if (shareable) await parseInWorkers(todo, shareable, count, accept, results);
  // What no worker could parse (or all of it, without workers): here, one after the other, the
  // next few files being read while one is parsed (reading them one by one left this thread idle
  // a seventh of the time).
  const left = todo.flatMap((t, j) => (results[j] ? [] : [j]));
  const reads = new Map<number, Promise<Read>>();
  let parse: SourceParser | undefined;
  for (const [k, j] of left.entries()) {
    for (const ahead of left.slice(k, k + READ_AHEAD)) {
      if (!reads.has(ahead)) reads.set(ahead, todo[ahead]!.read ? Promise.resolve(todo[ahead]!.read) : readAsync(todo[ahead]!.source));
    }
    parse ??= await loadParser(config, { guarded: true });
    const read = await reads.get(j)!;
    reads.delete(j);
    results[j] = accept(await parseRead(todo[j]!.source, read, parse));
  }
  return results;
}

/** Files read ahead of the one parsed, when parsing in this thread. */
const READ_AHEAD = 8;

/** Reads a source in this thread, without blocking it. */
async function readAsync(source: SourceFile): Promise<Read> {
  return readOf(await fs.readFile(source.absolute).catch(() => null));
}

/** Reads sources in this thread: one after the other while the disk answers at once, side by side once it is slow. */
async function readAll(sources: SourceFile[]): Promise<(Read | undefined)[]> {
  const reads = new Array<Read | undefined>(sources.length);
  const run = fileTasks();
  await Promise.all(
    sources.map((source, i) =>
      run(
        () => {
          reads[i] = readSource(source);
        },
        async () => {
          reads[i] = await readAsync(source);
        },
      ),
    ),
  );
  return reads;
}

/** The config as worker threads can receive it, or null when it holds functions (plugins). */
function shareableConfig(config: Readonly<SiteConfig>): SiteConfig | null {
  if (config.remarkPlugins.length > 0 || config.rehypePlugins.length > 0) return null;
  try {
    // Helpers are for templates, not for parsing.
    return structuredClone({ ...config, helpers: {} });
  } catch {
    return null;
  }
}

// The worker's compiled module, beside this one (in lib/build/, or in the bundle in lib/bundle/); when
// this module runs from src/ under the test runner, the one in lib/build/ (tests compile first).
const WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('../../lib/build/parse-worker.js', import.meta.url) : new URL('./parse-worker.js', import.meta.url);
/** Sources per message: small enough to share the work out evenly, large enough to keep messages few. */
const CHUNK = 16;
/** The hash and signature of a source whose parse was stopped: equal to no file's. */
const UNPARSED = 'unparsed';
/** How often the parse stage looks for a source that has taken too long, at most. */
const WATCH_EVERY_MS = 250;

/** A parse worker, and the slot in which it tells which source it is parsing (its index plus one; 0: none). */
interface ParseThread {
  worker: Worker;
  slot: Int32Array;
}

function startParseThread(config: SiteConfig): ParseThread {
  const slot = new Int32Array(new SharedArrayBuffer(4));
  return { worker: new Worker(WORKER_URL, { workerData: { role: 'parse', config, slot } }), slot };
}

/**
 * Parses in worker threads. Each worker tells (in a shared slot) which source it is parsing; one
 * that spends longer than `limits.parseSeconds` on a source is stopped, the source reported, and
 * a new worker takes over the rest of its chunk.
 */
async function parseInWorkers(todo: Unparsed[], config: SiteConfig, count: number, accept: (r: HashedResult) => HashedResult, results: HashedResult[]): Promise<void> {
  let next = 0;
  // Sources handed back by a stopped worker, parsed before new ones.
  const retry: number[] = [];
  const limitMs = config.limits.parseSeconds * 1000;
  const threads: Worker[] = [];
  // Set once the stage is over, however it ended: no worker is started or waited for after it.
  let over = false;
  const take = (): number[] => {
    const chunk = retry.splice(0, CHUNK);
    while (chunk.length < CHUNK && next < todo.length) chunk.push(next++);
    return chunk;
  };
  /** Feeds one worker chunks until none are left; if it is stopped over a source, a new one carries on. */
  const serve = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const { worker, slot } = startParseThread(config);
      threads.push(worker);
      let chunk: number[] = [];
      let ended = false;
      let seen = { value: 0, since: performance.now() };
      /** Ends this worker, hearing nothing more from it, then settles as `then` says. */
      const end = (then: () => void) => {
        if (ended) return;
        ended = true;
        clearInterval(watch);
        worker.removeAllListeners('message').removeAllListeners('exit').on('error', () => undefined);
        void worker.terminate();
        then();
      };
      const send = () => {
        chunk = take();
        if (chunk.length === 0) return end(resolve);
        worker.postMessage(chunk.map((j) => ({ index: j, source: todo[j]!.source, read: todo[j]!.read })) satisfies ParseRequest);
      };
      const watch = setInterval(() => {
        if (over) return end(resolve);
        const value = Atomics.load(slot, 0);
        const now = performance.now();
        if (value !== seen.value) {
          seen = { value, since: now };
          return;
        }
        if (value === 0 || now - seen.since <= limitMs) return;
        const stuck = value - 1;
        results[stuck] = accept({ sourceHash: UNPARSED, result: timedOut(todo[stuck]!.source.path, config.limits.parseSeconds) });
        retry.push(...chunk.filter((j) => j !== stuck && !results[j]));
        end(() => (over ? resolve() : serve().then(resolve, reject)));
      }, Math.min(WATCH_EVERY_MS, limitMs / 4));
      watch.unref();
      worker.on('message', (reply: ParseReply) => {
        if ('error' in reply) return end(() => reject(new Error(reply.error)));
        // The next chunk goes first, so the worker parses while this thread takes the results in.
        const finished = chunk;
        send();
        reply.results.forEach((r, k) => {
          // A file the worker could not read is left to this thread, which reports it.
          if (r !== null) results[finished[k]!] = accept(r);
        });
      });
      worker.on('error', (err) => end(() => reject(err)));
      worker.on('exit', () => end(() => reject(new Error('a parse worker stopped before it was done'))));
      send();
    });
  try {
    await Promise.all(Array.from({ length: count }, () => serve()));
  } finally {
    over = true;
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** What a parse worker is sent: sources, with their bytes when this thread has read them. */
export type ParseRequest = { index: number; source: SourceFile; read?: Read }[];

/** What a parse worker answers for one chunk of sources. */
export type ParseReply = { results: (HashedResult | null)[] } | { error: string };
