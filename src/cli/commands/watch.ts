import path from 'node:path';
import { cacheDir } from '../../build/cache.js';
import { loadConfig } from '../../config/resolve.js';
import { UsageError } from '../../util/messages.js';
import { startServer, type PreviewServer } from '../../watch/server.js';
import { startWatch } from '../../watch/watch.js';
import { EXIT, type CliIO } from '../io.js';
import { countLine, formatMessage } from '../reporter.js';
import { stopBuild, type BuildFlags } from './build.js';

/** Flags of watch and serve mode. */
export interface WatchFlags extends BuildFlags {
  serve?: boolean;
  port?: string;
  host?: string;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 8080;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${value} is not a port number`, 'Use a number from 1 to 65535, e.g. --port 8080.');
  return port;
}

/** `gi-build --watch` and `--serve`: build, then rebuild on every change until Ctrl-C. */
export async function runWatch(flags: WatchFlags, io: CliIO): Promise<number> {
  const port = parsePort(flags.port);
  const host = flags.host ?? '127.0.0.1';
  const config = await loadConfig(flags, io.cwd);
  const out = path.relative(io.cwd, config.outDir) || '.';
  const time = () => new Date().toTimeString().slice(0, 8);
  let server: PreviewServer | null = null;
  // Ctrl-C during the first build stops it as a build is stopped (see stopBuild); after it, the
  // watch stops once the build in progress has ended.
  const stop = io.stopRequested();
  // Once the first build has ended, its site is in place (its search index may follow): a stop
  // then lets the watch close as usual.
  let built = false;
  let stopped = false;
  void stop.then(() => {
    stopped = true;
    if (!built) return stopBuild(io);
  });

  const watcher = await startWatch(config, () => loadConfig(flags, io.cwd), {
    now: () => Date.now(),
    log: (line) => io.stdout.write(`${time()} ${line}\n`),
    onBuild(result) {
      built = true;
      const shown = flags.quiet ? result.messages.filter((m) => m.severity === 'error') : result.messages;
      for (const m of shown) io.stderr.write(`${formatMessage(m)}\n`);
      if (!result.ok) {
        io.stderr.write(`✖ ${countLine(result.messages)}.\n`);
        server?.buildFailed(result.messages.filter((m) => m.severity === 'error').map(formatMessage));
      }
    },
    onPagesWritten(counts) {
      if (counts.written.length === 0 && counts.removed.length === 0) return;
      const css = counts.removed.length === 0 && counts.written.every((f) => f.endsWith('.css'));
      server?.reload(css);
    },
    onConfigError(err) {
      io.stderr.write(`gi-build: ${err.message}\n${err.hint ? `    ${err.hint}\n` : ''}`);
      server?.buildFailed([err.message]);
    },
  }, { cache: { dir: cacheDir(config.root), clean: flags.clean } });

  if (flags.serve && !stopped) {
    try {
      server = await startServer({ outDir: config.outDir, basePath: config.basePath, host, port });
    } catch (err) {
      await watcher.close();
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(
        `the preview server cannot listen on ${host}:${port} (${code ?? (err as Error).message})`,
        code === 'EACCES' ? 'Ports below 1024 need special rights: choose another with --port.' : 'Use an address of this machine with --host, or leave --host out for 127.0.0.1.',
      );
    }
    if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
      io.stderr.write(`warning: the preview listens on ${host}: other machines on your network can see it, drafts included.\n`);
    }
    io.stdout.write(`Preview: ${server.url}\n`);
  }
  // A stop during the first build that came after its site was in place: nothing more to start.
  if (!stopped) io.stdout.write(`Watching ${path.relative(io.cwd, config.root) || '.'} for changes; the site is in ${out}/. Press Ctrl-C to stop.\n`);

  await stop;
  await watcher.close();
  await server?.close();
  io.stdout.write('Stopped.\n');
  return EXIT.ok;
}
