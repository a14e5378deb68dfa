import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildResult } from '../../src/build/index.js';
import { loadConfig } from '../../src/config/resolve.js';
import type { CliFlags } from '../../src/config/types.js';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI entry, as users run it. */
export const BIN = path.join(REPO, 'bin', 'gi-build.js');

/** A fixed "now" for tests: 2026-11-29T12:00:00Z. */
export const NOW = Date.UTC(2026, 10, 29, 12);

/** Writes a site given inline as `{ 'posts/a.md': '…' }` into a fresh temp folder; returns its path. */
export async function makeSite(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-test-'));
  await writeFiles(root, files);
  return root;
}

/** Writes (or overwrites) files in a site. */
export async function writeFiles(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, contents] of Object.entries(files)) {
    const file = path.join(root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, contents);
  }
}

/** A post's Markdown with front matter from an object (values written as JSON, which is YAML). */
export function post(front: Record<string, unknown>, body = 'Some text.'): string {
  const lines = Object.entries(front).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `---\n${lines.join('\n')}\n---\n\n${body}\n`;
}

/** Builds a site through the API, as the CLI would. */
export async function buildSite(root: string, flags: CliFlags = {}, now = NOW): Promise<BuildResult> {
  const config = await loadConfig({ ...flags, root }, root);
  return build(config, { now });
}

/** Reads a file of the built site (`dist/` unless `out` is given). */
export async function readOut(root: string, rel: string, out = 'dist'): Promise<string> {
  return fs.readFile(path.join(root, out, rel), 'utf8');
}

/** True when the file exists. */
export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}

/** Every file under a folder, relative, sorted, with its contents. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else out[r] = (await fs.readFile(path.join(dir, r))).toString('base64');
    }
  };
  await walk('');
  return out;
}

/** Runs the real CLI binary (subject to file permissions, when `unprivileged`); resolves with its exit code and output. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; unprivileged?: boolean },
): Promise<{ code: number; stdout: string; stderr: string }> {
  // Permission bits do not stop root: as root (CI), `unprivileged` runs the CLI without the capabilities that pass them.
  const command = options.unprivileged && process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-all', '--inh-caps=-all', process.execPath] : [process.execPath];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A long-running CLI process (watch, serve) whose output can be waited on. */
export interface RunningCli {
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout+stderr appearing after `from` characters. */
  waitFor: (pattern: RegExp, options?: { from?: number; timeout?: number }) => Promise<RegExpMatchArray>;
  /** How much output there is so far, to wait only for what comes next. */
  mark: () => number;
  /** Resolves once no output has arrived for `ms` milliseconds (late lines of earlier rebuilds). */
  quiet: (ms?: number) => Promise<void>;
  /** Sends Ctrl-C and resolves with the exit code. */
  stop: () => Promise<number>;
  /** Kills the process outright (SIGKILL, which it cannot catch). */
  kill: () => void;
  /** Sends a signal (SIGTERM, SIGINT) without waiting. */
  signal: (name: NodeJS.Signals) => void;
  /** Resolves with the exit code when the process ends (128 + the signal's number when a signal ended it). */
  exited: Promise<number>;
}

/** Starts the real binary and keeps it running. */
export function spawnCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let both = '';
  const waiters = new Set<() => void>();
  let lastOutput = Date.now();
  const onData = () => {
    lastOutput = Date.now();
    waiters.forEach((w) => w());
  };
  child.stdout.on('data', (d) => {
    out += d;
    both += d;
    onData();
  });
  child.stderr.on('data', (d) => {
    err += d;
    both += d;
    onData();
  });
  // Ended by a signal, as a shell reports it: 128 plus the signal's number (SIGTERM: 143).
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0))));
  return {
    stdout: () => out,
    stderr: () => err,
    mark: () => both.length,
    async quiet(ms = 250) {
      while (Date.now() - lastOutput < ms) await new Promise((r) => setTimeout(r, ms - (Date.now() - lastOutput)));
    },
    waitFor(pattern, { from = 0, timeout = 20_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = both.slice(from).match(pattern);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${both}`));
        }, timeout);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
    kill() {
      child.kill('SIGKILL');
    },
    signal(name) {
      child.kill(name);
    },
    exited,
  };
}
