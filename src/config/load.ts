import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** Finds and reads the site's config file (`gi-build.config.json`, `.mjs` or `.js`), if any. */
export async function loadConfigFile(root: string): Promise<RawConfig> {
  const present = CONFIG_FILES.filter((name) => fs.existsSync(path.join(root, name)));
  if (present.length > 1) {
    throw new UsageError(`the site has ${present.length} config files (${present.join(', ')}); gi-build would read only one of them`, 'Keep one and delete the others.');
  }
  for (const name of present) {
    const full = path.join(root, name);
    if (name.endsWith('.json')) {
      return { file: name, data: parseJson(name, fs.readFileSync(full, 'utf8')) };
    }
    let mod: { default?: unknown };
    try {
      // The query makes Node load an edited config again instead of its cached module (watch mode).
      const url = `${pathToFileURL(full).href}?mtime=${fs.statSync(full).mtimeMs}`;
      mod = (await import(url)) as { default?: unknown };
    } catch (err) {
      throw new UsageError(`${name}: the config could not be loaded: ${(err as Error).message}`);
    }
    const data = typeof mod.default === 'function' ? await (mod.default as () => unknown)() : mod.default;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new UsageError(`${name}: the config must export a default object (export default { title: '…' })`);
    }
    return { file: name, data: data as Record<string, unknown> };
  }
  return { file: null, data: {} };
}
