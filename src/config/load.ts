import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { UsageError } from '../util/messages.js';
import { CONFIG_FILES } from './defaults.js';

/** What a config file held, before validation. */
export interface RawConfig {
  file: string | null;
  data: Record<string, unknown>;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

function parseJson(file: string, text: string): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new UsageError(`${file}: the config must be a JSON object ({ … })`);
    }
    return data as Record<string, unknown>;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const reason = (err as Error).message;
    const position = /position (\d+)/.exec(reason);
    const where = position ? `:${lineAndColumn(text, Number(position[1]))}` : '';
    throw new UsageError(`${file}${where}: the config is not valid JSON (${reason})`, 'Check for a missing comma or quote, or a trailing comma before } or ].');
  }
}

/** How long a JS config may take to load, and then its default export to settle, unless told otherwise. */
export const CONFIG_TIMEOUT_MS = 10_000;

/** How a config file is read. */
export interface LoadOptions {
  /** Milliseconds a JS config may take to load, and then its default export to settle (default `CONFIG_TIMEOUT_MS`). */
  timeoutMs?: number;
}

/** Finds and reads the site's config file (`gi-build.config.json`, `.mjs` or `.js`), if any. */
export async function loadConfigFile(root: string, options: LoadOptions = {}): Promise<RawConfig> {
  const present = CONFIG_FILES.filter((name) => fs.existsSync(path.join(root, name)));
  if (present.length > 1) {
    throw new UsageError(`the site has ${present.length} config files (${present.join(', ')}); gi-build would read only one of them`, 'Keep one and delete the others.');
  }
  for (const name of present) {
    const full = path.join(root, name);
    if (name.endsWith('.json')) {
      return { file: name, data: parseJson(name, fs.readFileSync(full, 'utf8')) };
    }
    return { file: name, data: await loadModule(name, full, options.timeoutMs ?? CONFIG_TIMEOUT_MS) };
  }
  return { file: null, data: {} };
}

/** Imports a JS config and settles its default export: an object, a promise of one, or a function (maybe async) returning one. */
async function loadModule(name: string, full: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const href = pathToFileURL(full).href;
  const seconds = `${timeoutMs / 1000} s`;
  let mod: { default?: unknown };
  try {
    // The query makes Node load an edited config again instead of its cached module (watch mode).
    mod = (await settleWithin(import(`${href}?mtime=${fs.statSync(full).mtimeMs}`), timeoutMs)) as { default?: unknown };
  } catch (err) {
    if (err instanceof Unsettled) {
      throw new UsageError(`${name}: the config did not finish loading within ${seconds}: something it awaits at its top level never settles`, 'Check the top-level await statements of the config, and what they wait for.');
    }
    throw new UsageError(`${placeIn(name, full, err)}: the config could not be loaded: ${reasonOf(err)}`);
  }
  const exported = mod.default;
  const isFunction = typeof exported === 'function';
  let data: unknown;
  try {
    // Called inside an async function, a function that throws rejects like one whose promise does.
    data = await settleWithin((async () => (isFunction ? (exported as () => unknown)() : exported))(), timeoutMs);
  } catch (err) {
    if (err instanceof Unsettled) {
      const pending = isFunction ? 'the promise returned by the config function' : "the config's exported promise";
      throw new UsageError(`${name}: ${pending} did not settle within ${seconds}`, 'Check what the config awaits: a promise that is never resolved, or a request that is never answered.');
    }
    const failed = isFunction ? 'the config function failed' : "the config's exported promise was rejected";
    throw new UsageError(`${placeIn(name, full, err)}: ${failed}: ${reasonOf(err)}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${name}: the config must export a default object (export default { title: '…' })`);
  }
  return data as Record<string, unknown>;
}

/** Rejects `settleWithin`'s promise when the one it waits for is still pending at the deadline. */
class Unsettled extends Error {}

/** `promise`, or an `Unsettled` rejection after `ms`: a promise that never settles would otherwise end the process silently once nothing else is left to do. */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Unsettled()), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The config's name, with the line and column of its own code that the error's stack names first, when it names one. */
function placeIn(name: string, full: string, err: unknown): string {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A frame names the file by URL, or by path when a loader (a test runner's) imported it.
  const file = `(?:${escape(pathToFileURL(full).href)}|${escape(full)})`;
  const frame = new RegExp(`${file}(?:\\?[^\\s:)]*)?:(\\d+):(\\d+)`).exec(stack);
  return frame ? `${name}:${frame[1]}:${frame[2]}` : name;
}

/** What an error (or any thrown value) says, without its stack. */
function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.name === 'Error' ? err.message : `${err.name}: ${err.message}`;
  if (err === undefined) return 'no reason was given';
  return typeof err === 'string' ? err : inspect(err, { depth: 2, breakLength: Infinity });
}
