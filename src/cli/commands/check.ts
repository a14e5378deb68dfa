import path from 'node:path';
import { checkOutput } from '../../check/index.js';
import type { CliFlags } from '../../config/types.js';
import { isInside, toPosix } from '../../util/paths.js';
import { EXIT, type CliIO } from '../io.js';
import { formatMessage } from '../reporter.js';
import { buildAndReport, stopBuild } from './build.js';

/** Flags of the check command. */
export interface CheckFlags extends CliFlags {
  quiet?: boolean;
}

/** `gi-build check`: builds the site as `gi-build` does, then checks every link and image of the output. */
export async function runCheck(flags: CheckFlags, io: CliIO): Promise<number> {
  // Ctrl-C during the build stops it as it stops `gi-build` (see stopBuild).
  void io.stopRequested().then(() => stopBuild(io));
  const { config, result } = await buildAndReport(flags, io);
  if (!result.ok) return EXIT.content;

  // Messages name files relative to the site folder, as build messages do.
  const outLabel = isInside(config.root, config.outDir) ? toPosix(path.relative(config.root, config.outDir)) || '.' : toPosix(config.outDir);
  const checked = await checkOutput(config.outDir, { basePath: config.basePath, outLabel, sources: result.sources, root: config.root });
  const broken = checked.messages.length;
  for (const m of checked.messages) io.stderr.write(`${formatMessage(m)}\n`);
  if (broken > 0) {
    io.stderr.write(`\n✖ ${broken} broken link${broken === 1 ? '' : 's'}.\n`);
    return EXIT.content;
  }
  if (!flags.quiet) io.stdout.write(`Checked ${checked.pages} page${checked.pages === 1 ? '' : 's'}: no broken links.\n`);
  return EXIT.ok;
}
