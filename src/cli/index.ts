import fs, { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { CONFIG_FILES } from '../config/defaults.js';
import { isPermissionDenied, StoppedError, UsageError } from '../util/messages.js';
import { deniedAccess } from '../util/paths.js';
import { EXIT, onStopSignal, type CliIO } from './io.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const EXAMPLES = `
Examples:
  $ gi-build                          build the site in this folder into dist/
  $ gi-build --serve --drafts         preview while writing, drafts included
  $ gi-build --drafts --future        include drafts and posts dated in the future
  $ gi-build --base-path /blog/       build for hosting at https://host/blog/
  $ gi-build --root site --out public
  $ gi-build new "Our spring update"  start a new post dated today
  $ gi-build init my-blog             create a new site
  $ gi-build check                    build, then check every link and image

Exit codes: 0 built, 1 content errors (all listed), 2 usage or configuration errors,
3 an internal error (a bug in gi-build: please report it), 130 stopped by Ctrl-C.`;

/** The options that say what to build, shared by the build and check commands. */
function withBuildOptions(command: Command): Command {
  return command
    .option('--root <dir>', 'the site folder (default: the current folder)')
    .option('--out <dir>', 'the output folder (default: dist/ in the site folder)')
    .option('--drafts', 'include posts marked draft: true')
    .option('--no-drafts', 'leave drafts out even when the config includes them')
    .option('--future', 'include posts dated in the future')
    .option('--no-future', 'leave future posts out even when the config includes them')
    .option('--base-path <path>', 'URL path the site is served under, e.g. /blog/')
    .option('--base-url <url>', 'absolute URL of the site, for feeds and the sitemap')
    .option('--clean', 'build from scratch, without the cache in .gi-cache/ (which is written afresh)');
}

function program(io: CliIO, run: (task: () => Promise<number>) => void): Command {
  const cmd = new Command('gi-build')
    .description('Build a blog from Markdown posts into a static site with built-in search.')
    .version(pkg.version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .enablePositionalOptions();
  withBuildOptions(cmd)
    .option('--watch', 'build, then rebuild on every change until Ctrl-C')
    .option('--serve', 'watch, and preview the site with live reload')
    .option('--port <n>', 'preview server port; the next free one if taken (default: 8080)')
    .option('--host <addr>', 'preview server address (default: 127.0.0.1); other addresses expose the preview to your network')
    .addOption(new Option('--quiet', 'print errors only').conflicts('verbose'))
    .option('--verbose', 'print the time each stage took')
    .addHelpText('after', EXAMPLES)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .showSuggestionAfterError()
    .action((opts) =>
      run(async () =>
        opts.watch || opts.serve ? (await import('./commands/watch.js')).runWatch(opts, io) : (await import('./commands/build.js')).runBuild(opts, io),
      ),
    );

  cmd
    .command('new')
    .description('create posts/YYYY-MM-DD-title.md, dated today in the site time zone')
    .argument('<title>', 'the post title')
    .option('--root <dir>', 'the site folder (default: the current folder)')
    .exitOverride()
    .action((title: string, opts: { root?: string }) =>
      run(async () => (await import('./commands/new.js')).runNew(title, { root: opts.root ?? (cmd.opts() as { root?: string }).root }, io)),
    );

  cmd
    .command('init')
    .description('create a new site: config, an example post and page, .gitignore')
    .argument('[dir]', 'the folder to create it in', '.')
    .exitOverride()
    .action((dir: string) => run(async () => (await import('./commands/init.js')).runInit(dir, io)));

  withBuildOptions(cmd.command('check').description('build the site, then check that every internal link, fragment and image in it resolves'))
    .option('--quiet', 'print errors only')
    .exitOverride()
    .action((opts: Record<string, unknown>) =>
      // Build flags given before `check` count too; those after it win.
      run(async () => (await import('./commands/check.js')).runCheck({ ...cmd.opts(), ...opts }, io)),
    );
  return cmd;
}

/** Runs the CLI and resolves to its exit code. */
export async function main(
  argv: string[],
  io: CliIO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), now: Date.now(), stopRequested: onStopSignal },
): Promise<number> {
  let task: (() => Promise<number>) | null = null;
  try {
    await program(io, (t) => {
      task = t;
    }).parseAsync(argv);
    return task ? await (task as () => Promise<number>)() : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    // A write refused after Ctrl-C: the stop itself says so and sets the exit code.
    if (err instanceof StoppedError) return EXIT.stopped;
    if (isPermissionDenied(err)) return reportDenied(err, io);
    if (err instanceof UsageError) {
      io.stderr.write(`gi-build: ${err.message}\n${err.hint ? `    ${err.hint}\n` : ''}`);
      return EXIT.usage;
    }
    io.stderr.write(`gi-build: internal error — this is a bug in gi-build, please report it with the output below.\n${(err as Error).stack ?? String(err)}\n`);
    return EXIT.internal;
  }
}

/**
 * Reports a file or folder the system would not let gi-build read or write, without a stack trace:
 * exit 1 for a file of the site's that cannot be read, 2 for the site folder itself, its config,
 * and anything that cannot be written (the output folder, the cache).
 */
function reportDenied(err: NodeJS.ErrnoException & { path: string; dest?: string }, io: CliIO): number {
  const denied = deniedAccess(err);
  const shown = path.relative(io.cwd, denied.path) || '.';
  if (denied.access === 'write') {
    io.stderr.write(`gi-build: permission denied: cannot write ${shown}\n    Let your user write there, or build into another folder with --out.\n`);
    return EXIT.usage;
  }
  io.stderr.write(`gi-build: permission denied: cannot read ${shown}\n    Let your user read it (ls -l shows who may), e.g. chmod u+r ${shown}\n`);
  const siteItself = [...CONFIG_FILES, 'posts'].some((name) => fs.existsSync(path.join(denied.path, name)));
  const config = CONFIG_FILES.includes(path.basename(denied.path));
  return siteItself || config ? EXIT.usage : EXIT.content;
}
