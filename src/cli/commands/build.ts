import path from 'node:path';
import { cacheDir } from '../../build/cache.js';
import { stopWriting } from '../../output/writer.js';
import { buildWithCache } from '../../build/cached.js';
import type { BuildResult } from '../../build/index.js';
import { loadConfig } from '../../config/resolve.js';
import type { CliFlags, SiteConfig } from '../../config/types.js';
import { EXIT, type CliIO } from '../io.js';
import { countLine, formatMessage, formatTimings, progressPrinter } from '../reporter.js';

/** Flags of the build command. */
export interface BuildFlags extends CliFlags {
  quiet?: boolean;
  verbose?: boolean;
  /** Build without reading the cache (it is written afresh). */
  clean?: boolean;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Builds the site as the flags say and prints its messages; `ok` is false when it failed (already reported). */
export async function buildAndReport(flags: BuildFlags, io: CliIO): Promise<{ config: Readonly<SiteConfig>; result: BuildResult }> {
  const start = performance.now();
  const config = await loadConfig(flags, io.cwd);
  const progress = progressPrinter(io.stderr, start);
  const result = await buildWithCache(config, { now: io.now, onProgress: progress.update }, { dir: cacheDir(config.root), clean: flags.clean });
  progress.clear();
  const shown = flags.quiet ? result.messages.filter((m) => m.severity === 'error') : result.messages;
  for (const m of shown) io.stderr.write(`${formatMessage(m)}\n`);
  if (!result.ok) {
    const out = path.relative(io.cwd, config.outDir) || '.';
    io.stderr.write(`\n✖ ${countLine(result.messages)}. Nothing was written: ${out}/ is unchanged.\n`);
  }
  return { config, result };
}

/**
 * Stops a build for Ctrl-C (see `stopWriting`): exits with 130, unless the new site is in place
 * already, when the build is left to end as it would have.
 */
export async function stopBuild(io: CliIO): Promise<void> {
  if (await stopWriting()) return;
  io.stderr.write('\nStopped.\n');
  process.exit(EXIT.stopped);
}

/** `gi-build`: builds the site and reports every problem. */
export async function runBuild(flags: BuildFlags, io: CliIO): Promise<number> {
  const start = performance.now();
  // Ctrl-C stops at once, leaving the output folder as it was (a half-written fresh folder goes),
  // unless the new site is in place already: then the build ends as it would have.
  void io.stopRequested().then(() => stopBuild(io));
  const { config, result } = await buildAndReport(flags, io);
  if (!result.ok) return EXIT.content;
  const out = path.relative(io.cwd, config.outDir) || '.';
  const seconds = ((performance.now() - start) / 1000).toFixed(2);
  if (flags.verbose) {
    const { searchIndexBytes, searchIndexGzipBytes } = result.stats;
    const about = result.state.search?.measured ? '~' : '';
    io.stdout.write(`${formatTimings(result.timings)}\n  search index: ${kb(searchIndexBytes)} raw, ${about}${kb(searchIndexGzipBytes)} gzipped\n`);
  }
  if (!flags.quiet) {
    const { posts, pages, files, drafts } = result.stats;
    const notes = [drafts ? `${drafts} draft or future post${drafts === 1 ? '' : 's'} left out` : '', countLine(result.messages)].filter(Boolean);
    io.stdout.write(`Built ${posts} post${posts === 1 ? '' : 's'} into ${out}/: ${pages} pages, ${files} files in ${seconds} s${notes.length ? ` (${notes.join('; ')})` : ''}.\n`);
  }
  return EXIT.ok;
}
