import path from 'node:path';
import { build } from '../../build/index.js';
import { loadConfig } from '../../config/resolve.js';
import type { CliFlags } from '../../config/types.js';
import { EXIT, type CliIO } from '../io.js';
import { countLine, formatMessage, formatTimings, progressPrinter } from '../reporter.js';

/** Flags of the build command. */
export interface BuildFlags extends CliFlags {
  quiet?: boolean;
  verbose?: boolean;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** `gi-build`: builds the site and reports every problem. */
export async function runBuild(flags: BuildFlags, io: CliIO): Promise<number> {
  const start = performance.now();
  const config = await loadConfig(flags, io.cwd);
  const progress = progressPrinter(io.stderr, start);
  const result = await build(config, { now: io.now, onProgress: progress.update });
  progress.clear();

  const shown = flags.quiet ? result.messages.filter((m) => m.severity === 'error') : result.messages;
  for (const m of shown) io.stderr.write(`${formatMessage(m)}\n`);
  const out = path.relative(io.cwd, config.outDir) || '.';
  const seconds = ((performance.now() - start) / 1000).toFixed(2);
  if (!result.ok) {
    io.stderr.write(`\n✖ ${countLine(result.messages)}. Nothing was written: ${out}/ is unchanged.\n`);
    return EXIT.content;
  }
  if (flags.verbose) {
    const { searchIndexBytes, searchIndexGzipBytes } = result.stats;
    io.stdout.write(`${formatTimings(result.timings)}\n  search index: ${kb(searchIndexBytes)} raw, ${kb(searchIndexGzipBytes)} gzipped\n`);
  }
  if (!flags.quiet) {
    const { posts, pages, files, drafts } = result.stats;
    const notes = [drafts ? `${drafts} draft or future post${drafts === 1 ? '' : 's'} left out` : '', countLine(result.messages)].filter(Boolean);
    io.stdout.write(`Built ${posts} post${posts === 1 ? '' : 's'} into ${out}/: ${pages} pages, ${files} files in ${seconds} s${notes.length ? ` (${notes.join('; ')})` : ''}.\n`);
  }
  return EXIT.ok;
}
