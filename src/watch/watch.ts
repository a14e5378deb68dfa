import fs from 'node:fs/promises';
import path from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { CacheReadError, contentStore, discarded, loadCache, removeCache, saveCache, TERMS_FILE, type CacheOptions } from '../build/cache.js';
import { build, VERSION, type BuildCounts, type BuildResult, type PendingSearch } from '../build/index.js';
import { loadParser } from '../build/parse.js';
import { postsOf, type BuildState } from '../build/state.js';
import type { SiteConfig } from '../config/types.js';
import { signature } from '../util/hash.js';
import { isPermissionDenied, StoppedError, UsageError, type Message } from '../util/messages.js';
import { writeAhead } from '../output/writer.js';
import { gzipPlanAfter, startSearchWorker, type SearchWorker } from '../search/worker.js';
import { deniedAccess, toPosix } from '../util/paths.js';
import { classify, describeChanges, isEmpty, isIgnored, type ChangeSet, type WatchEvent } from './classify.js';
import { RebuildQueue } from './queue.js';
import { warmUp } from './warm.js';

/** How long to wait for a burst of events (an editor saving, a git checkout) to settle. */
const BATCH_MS = 10;
/** When to look again at a changed file: after chokidar's 50 ms window for repeated changes. */
const RECHECK_MS = 75;

/** What the watch loop tells the outside world. */
export interface WatchHooks {
  /** A line for the person at the terminal. */
  log(line: string): void;
  /** Every build's result (its messages are for the person to read). */
  onBuild(result: BuildResult, changes: ChangeSet | null): void;
  /** A rebuild has written its pages; the search index may still follow. */
  onPagesWritten(counts: BuildCounts): void;
  /** A config that could not be loaded after a change (the previous one stays in use). */
  onConfigError(error: UsageError): void;
  now(): number;
}

/** A running watch. */
export interface Watcher {
  /** Resolves when no build is running or queued. */
  idle(): Promise<void>;
  /** Stops watching after the build in progress (if any) has finished. */
  close(): Promise<void>;
}

/** Explains the file-watching errors people hit, with the fix. */
export function watchErrorMessage(err: NodeJS.ErrnoException): string {
  if (err.code === 'EMFILE') {
    return 'too many open files to watch the site (EMFILE). Raise the limit, e.g. `ulimit -n 8192`, and start gi-build again.';
  }
  if (err.code === 'ENOSPC') {
    return 'the system ran out of file watchers (ENOSPC). Raise the limit, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`, and start gi-build again.';
  }
  return `watching failed: ${err.message}`;
}

/**
 * Builds the site, then rebuilds it on every change until closed. Never stops on a build error:
 * the last good output stays and the next save tries again.
 */
export async function startWatch(
  config: Readonly<SiteConfig>,
  reloadConfig: () => Promise<Readonly<SiteConfig>>,
  hooks: WatchHooks,
  options: { cache?: CacheOptions } = {},
): Promise<Watcher> {
  let current = config;
  let state: BuildState | undefined;
  // The build cache gives the first build a head start, and is brought up to date when the watch stops.
  const cache = options.cache;
  const loaded = cache ? await loadCache(config, cache, VERSION) : { messages: [] };
  state = loaded.state;
  let cacheMessages: Message[] = loaded.messages;
  // Posts' HTML and text go to the cache as they are parsed and are read back for the pages that
  // need them: the watch does not hold a whole site's content. Should the cache not take them,
  // they stay in memory, and the cache is not saved (it would lack them).
  let storeFailed = false;
  const content = () =>
    cache &&
    contentStore(cache, (err) => {
      if (!storeFailed) hooks.log(`the build cache could not be written (${err.message}); it will be built afresh next time`);
      storeFailed = true;
    });
  const termsFile = cache ? path.join(cache.dir, TERMS_FILE) : undefined;
  // Search indexes are built in a worker thread that keeps each post's terms; pages never wait for them.
  let worker: SearchWorker | null = null;
  /** The index key the latest build's content calls for: an index built for another key is stale. */
  let wantedKey: string | undefined;
  const indexing = new Set<Promise<void>>();
  // Builds and index writes both change the output folder and the state: one at a time.
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  };

  /** Builds a rebuild's search index in the worker, then writes it unless a newer change wants another. */
  const index = (pending: PendingSearch) => {
    worker ??= startSearchWorker(termsFile);
    const start = performance.now();
    // The gzipped size is estimated from the last measured one while the raw size barely moves (measuring
    // 20 MB takes a quarter of a second), and measured otherwise: the state saved for the next build reports it.
    const job = worker.build(pending.entries, pending.language, { gzip: gzipPlanAfter(state?.search) }).then(
      (built) =>
        exclusive(async () => {
          if (pending.key !== wantedKey || !state) return;
          if (built.unreadableTerms) hooks.log(`the build cache's search terms could not be read (${built.unreadableTerms}); every post was analysed again`);
          const { file, info } = pending.file(built);
          const outputs = await writeAhead(current.outDir, [file], state.outputs);
          const first = state.search === null;
          state = { ...state, search: info, outputs };
          const ms = performance.now() - start;
          if (first) hooks.log(`search index ready in ${(ms / 1000).toFixed(1)} s`);
          else if (ms >= 1000) hooks.log(`search index updated in ${(ms / 1000).toFixed(1)} s`);
        }),
      (err: Error) => hooks.log(`the search index could not be built: ${err.message}`),
    ).catch((err: Error) => {
      // Writing it failed (a full disk, say); a stopped build says so itself.
      if (!(err instanceof StoppedError)) hooks.log(`the search index could not be written: ${err.message}`);
    });
    indexing.add(job);
    void job.finally(() => indexing.delete(job));
  };

  // Set once Ctrl-C stops a rebuild in the middle (see `guardParser`): the watch is ending.
  let interrupted = false;
  const runBuild = async (changes: ChangeSet | null) => {
    const start = performance.now();
    const timing: { pagesMs: number | null } = { pagesMs: null };
    if (changes?.full) {
      try {
        current = await reloadConfig();
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        hooks.onConfigError(err);
        return;
      }
      state = undefined;
    }
    let result: BuildResult;
    const run = (previous: BuildState | undefined) =>
      build(current, {
        now: hooks.now(),
        previous,
        changes: changes && previous ? { templates: changes.templates, sources: changes.sources } : undefined,
        onPagesWritten: (counts) => {
          timing.pagesMs = performance.now() - start;
          hooks.onPagesWritten(counts);
        },
        deferSearch: true,
        content: content(),
      });
    try {
      try {
        result = await run(state);
      } catch (err) {
        if (!(err instanceof CacheReadError) || !cache) throw err;
        // A post's content in the cache could not be read: build again without anything from it.
        cacheMessages.push(discarded(cache.dir, err.message));
        await removeCache(cache);
        result = await run(undefined);
      }
    } catch (err) {
      // Ctrl-C in the middle of a rebuild's parse: the stop itself ends the watch, and no build follows.
      if (changes !== null && err instanceof StoppedError) {
        interrupted = true;
        return;
      }
      // The first build's usage errors (an output folder it must not replace) stop the command;
      // later ones, and files made unreadable meanwhile, are reported and watched for a fix.
      if (changes !== null && isPermissionDenied(err)) {
        const denied = deniedAccess(err);
        const shown = toPosix(path.relative(current.root, denied.path)) || '.';
        hooks.onConfigError(new UsageError(`permission denied: cannot ${denied.access} ${shown}`, `Let your user ${denied.access} it (ls -l shows who may); the site is built again when it changes.`));
        return;
      }
      if (!(err instanceof UsageError) || changes === null) throw err;
      hooks.onConfigError(err);
      return;
    }
    if (cacheMessages.length > 0) {
      result = { ...result, messages: [...cacheMessages, ...result.messages] };
      cacheMessages = [];
    }
    state = result.state;
    if (result.searchKey) wantedKey = result.searchKey;
    hooks.onBuild(result, changes);
    if (result.pendingSearch) index(result.pendingSearch);
    const total = performance.now() - start;
    const what = changes ? describeChanges(changes) : 'first build';
    const { parsed, rendered, written, removed } = result.counts;
    const work = `re-parsed ${parsed}, rendered ${rendered} page${rendered === 1 ? '' : 's'}, wrote ${written.length} file${written.length === 1 ? '' : 's'}${removed.length ? `, removed ${removed.length}` : ''}`;
    const took = `in ${(timing.pagesMs ?? total).toFixed(0)} ms`;
    hooks.log(result.ok ? `${what}: ${work} ${took}` : `${what}: the build failed; the last good site is still in place. Waiting for a fix…`);
  };

  /** Brings the build cache up to date with the state of the last build (and, with `terms`, the worker's search terms). */
  const persist = async (terms: boolean) => {
    if (!cache) return;
    if (storeFailed) {
      await exclusive(() => removeCache(cache)).catch(() => undefined);
      return;
    }
    const saved = state;
    if (saved) await exclusive(() => saveCache(current, cache, saved)).catch((err: Error) => hooks.log(`the build cache could not be written: ${err.message}`));
    if (terms) await worker?.saveTerms().catch((err: Error) => hooks.log(`the search terms could not be cached: ${err.message}`));
  };

  await exclusive(() => runBuild(null));
  await persist(false);

  const queue = new RebuildQueue<WatchEvent>(async (batch) => {
    if (interrupted) return;
    const changes = classify(batch);
    if (!isEmpty(changes)) await exclusive(() => runBuild(changes));
  });

  const root = path.resolve(current.root);
  const outDir = path.resolve(current.outDir);
  const rootPrefix = root + path.sep;
  const outPrefix = outDir + path.sep;
  const watcher: FSWatcher = chokidarWatch(root, {
    ignoreInitial: true,
    // Called for every entry chokidar lists (thousands when a big posts/ folder is rescanned): string checks only.
    ignored: (p: string) => {
      // The output folder is never watched, wherever it is: writing it must not trigger a build.
      if (p === outDir || p.startsWith(outPrefix)) return true;
      if (p === root) return false;
      if (!p.startsWith(rootPrefix)) return true;
      return isIgnored(toPosix(p.slice(rootPrefix.length)));
    },
  });
  let buffer: WatchEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const enqueue = (event: WatchEvent) => {
    buffer.push(event);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const batch = buffer;
      buffer = [];
      queue.push(batch);
    }, BATCH_MS);
  };
  // chokidar drops a second change to a file within 50 ms of the first, so a quick second save
  // could go unseen: look at each changed file again a little later and report it if it moved on.
  const rechecks = new Map<string, NodeJS.Timeout>();
  const sig = (file: string) => fs.stat(file).then(signature, () => 'missing');
  const recheck = async (file: string, rel: string) => {
    const seen = await sig(file);
    clearTimeout(rechecks.get(rel));
    rechecks.set(
      rel,
      setTimeout(async () => {
        rechecks.delete(rel);
        if ((await sig(file)) !== seen) enqueue({ kind: 'change', path: rel });
      }, RECHECK_MS),
    );
  };
  watcher.on('all', (kind, file) => {
    if (kind !== 'add' && kind !== 'change' && kind !== 'unlink' && kind !== 'addDir' && kind !== 'unlinkDir') return;
    const rel = toPosix(path.relative(root, file));
    enqueue({ kind, path: rel });
    if (kind === 'add' || kind === 'change') void recheck(file, rel);
  });
  watcher.on('error', (err) => hooks.log(watchErrorMessage(err as NodeJS.ErrnoException)));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  // The Markdown pipeline loads now, not on the first save, whose page should go out at once, and
  // is warmed up. Not with a config's plugins: they may do more than change the tree, and a config
  // with plugins is parsed in this thread, which the first build has warmed up if it parsed.
  let closed = false;
  const warmed = current;
  const parse = await loadParser(warmed);
  if (warmed.remarkPlugins.length === 0 && warmed.rehypePlugins.length === 0) {
    void warmUp(parse, root, state ? postsOf(state.parsed) : [], () => closed || current !== warmed, exclusive);
  }

  /** Waits until no build is running or queued and every index build has been written or dropped. */
  const settle = async () => {
    while (true) {
      await queue.idle();
      if (indexing.size === 0) return;
      await Promise.all(indexing);
    }
  };

  return {
    idle: settle,
    async close() {
      closed = true;
      clearTimeout(timer);
      for (const t of rechecks.values()) clearTimeout(t);
      await watcher.close();
      // The index of the last change is finished, not dropped: the site on disk must be whole.
      await settle();
      await persist(true);
      await worker?.close();
    },
  };
}
