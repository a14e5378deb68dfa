import fs from 'node:fs/promises';
import path from 'node:path';

/** Converts a path to posix separators (site-relative paths are always posix). */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** True when `child` is `parent` itself or lies inside it (checked with path.relative, never a string prefix). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** True when `child` lies strictly inside `parent`. */
export function isStrictlyInside(parent: string, child: string): boolean {
  return isInside(parent, child) && path.resolve(parent) !== path.resolve(child);
}

/** Everything but folders under a folder, hidden files included, as posix paths relative to it. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => toPosix(path.relative(dir, path.join(e.parentPath, e.name))));
}
