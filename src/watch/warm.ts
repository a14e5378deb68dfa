import fs from 'node:fs/promises';
import path from 'node:path';
import type { SourceParser } from '../build/parse.js';
import type { Post } from '../content/post.js';

/** How many parses warm the Markdown pipeline up. */
export const WARM_UP_PARSES = 30;

/**
 * Runs the Markdown pipeline over the first of `posts` (over and over, if there are few), one at a
 * time, each after a turn of the event loop and under `exclusive` (so a build waits one parse at
 * the most), and drops what it gives; stops as soon as `stop` says so. Builds parse in worker
 * threads, so the watch's own copy of the pipeline is cold: its first runs take ten times as long
 * as once V8 has compiled it (35 ms, then ~3 ms, for a post of 5 KB), and the first saves' pages,
 * parsed in this thread ahead of the rebuild, paid for that.
 */
export async function warmUp(
  parse: SourceParser,
  root: string,
  posts: readonly Pick<Post, 'kind' | 'source' | 'bundle'>[],
  stop: () => boolean,
  exclusive: (fn: () => Promise<void>) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < WARM_UP_PARSES && posts.length > 0; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (stop()) return;
    const post = posts[i % posts.length]!;
    await exclusive(async () => {
      const bytes = await fs.readFile(path.join(root, post.source)).catch(() => null);
      try {
        if (bytes && !stop()) parse({ kind: post.kind, path: post.source, bundle: post.bundle }, bytes);
      } catch {
        // Nothing thrown while warming up may stop the watch; the build that parses the post reports it.
      }
    });
  }
}
