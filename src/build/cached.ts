import type { SiteConfig } from '../config/types.js';
import path from 'node:path';
import { startSearchWorker, type SearchWorker } from '../search/worker.js';
import { warning, type Message } from '../util/messages.js';
import { CacheReadError, contentStore, discarded, loadCache, removeCache, saveCache, TERMS_FILE, type CacheOptions } from './cache.js';
import type { BuildState } from './state.js';
import { build, VERSION, type BuildOptions, type BuildResult } from './index.js';

/** The warning for a cache that could not be written. */
function writeFailed(err: Error): Message {
  return warning('', `the build cache could not be written (${err.message}); the next build starts from scratch`, 'cache/write');
}

/** Whether a build found and did exactly what the cache it started from says: then there is nothing to save. */
function unchanged(loaded: BuildState | undefined, result: BuildResult): boolean {
  const { parsed, written, removed, searchIndexed } = result.counts;
  if (!loaded || !result.ok || parsed > 0 || written.length > 0 || removed.length > 0 || searchIndexed) return false;
  const before = loaded.parsed;
  const after = result.state.parsed;
  if (before.size !== after.size) return false;
  for (const [source, entry] of after) if (before.get(source)?.signature !== entry.signature) return false;
  const { state } = result;
  // A build that found everything as it was but had no outcome to stand on (a cache from before outcomes were kept) leaves its own.
  if (state.outcome !== loaded.outcome) return false;
  return state.templatesKey === loaded.templatesKey && state.outputs.size === loaded.outputs.size && state.images.size === loaded.images.size;
}

/**
 * A build that continues from the cache on disk and leaves its state there for the next one. The
 * cache only ever saves time: one that cannot be used is discarded with a warning, and the build
 * starts from scratch; one that cannot be written costs the next build its head start, nothing more.
 */
export async function buildWithCache(config: Readonly<SiteConfig>, options: BuildOptions, cache: CacheOptions): Promise<BuildResult> {
  const loaded = await loadCache(config, cache, VERSION);
  const messages: Message[] = [...loaded.messages];
  // The search index is built in a worker thread, which starts from the cached terms and keeps them up to date.
  let worker: SearchWorker | null = null;
  const searchWorker = () => (worker ??= startSearchWorker(path.join(cache.dir, TERMS_FILE), config.language));
  const current = () => worker as SearchWorker | null;
  const stop = async () => {
    const w = current();
    worker = null;
    await w?.close();
  };
  // Should the cache be unwritable, the posts' content stays in memory and the build goes on. Each
  // attempt has its own store: a build started again after a CacheReadError starts with a clean slate.
  let storeFailure: Error | null = null;
  const content = () => {
    storeFailure = null;
    return contentStore(cache, (err) => (storeFailure = err));
  };
  let result: BuildResult;
  try {
    try {
      result = await build(config, { ...options, previous: loaded.state, searchWorker, content: content() });
    } catch (err) {
      if (!(err instanceof CacheReadError)) throw err;
      messages.push(discarded(cache.dir, err.message));
      await stop();
      await removeCache(cache);
      result = await build(config, { ...options, searchWorker, content: content() });
    }
    try {
      if (storeFailure) throw storeFailure;
      // The worker writes its terms while this thread writes the rest of the cache; a build that
      // found everything as the cache said leaves it as it is.
      if (!unchanged(loaded.state, result)) await Promise.all([saveCache(config, cache, result.state), current()?.saveTerms()]);
    } catch (err) {
      await removeCache(cache).catch(() => undefined);
      messages.push(writeFailed(err as Error));
    }
  } finally {
    await stop();
  }
  return { ...result, messages: [...messages, ...result.messages] };
}
