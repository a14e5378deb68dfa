import type { SiteConfig } from '../config/types.js';
import { warning, type Message } from '../util/messages.js';
import { CacheReadError, loadCache, removeCache, saveCache, type CacheOptions } from './cache.js';
import { build, VERSION, type BuildOptions, type BuildResult } from './index.js';

/**
 * A build that continues from the cache on disk and leaves its state there for the next one. The
 * cache only ever saves time: one that cannot be used is discarded with a warning, and the build
 * starts from scratch; one that cannot be written costs the next build its head start, nothing more.
 */
export async function buildWithCache(config: Readonly<SiteConfig>, options: BuildOptions, cache: CacheOptions): Promise<BuildResult> {
  const loaded = await loadCache(config, cache, VERSION);
  const messages: Message[] = [...loaded.messages];
  if (loaded.messages.length > 0) await removeCache(cache);
  let result: BuildResult;
  try {
    result = await build(config, { ...options, previous: loaded.state });
  } catch (err) {
    if (!(err instanceof CacheReadError)) throw err;
    messages.push(warning('', `the build cache could not be read (${err.message}); it was discarded and everything was built again`, 'cache/discarded'));
    await removeCache(cache);
    result = await build(config, options);
  }
  await saveCache(config, cache, result.state).catch((err: Error) => {
    messages.push(warning('', `the build cache could not be written (${err.message}); the next build starts from scratch`, 'cache/write'));
  });
  return { ...result, messages: [...messages, ...result.messages] };
}
