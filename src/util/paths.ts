import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TEMP_SUFFIX } from './atomic.js';

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

/** Links to nothing followed in one path before it counts as a loop (Linux's limit for links). */
const MAX_LINKS = 40;

/**
 * The real path of `p`, every symbolic link resolved, also for a path that does not exist (yet):
 * its nearest existing ancestor is resolved and the rest appended, and a link to nothing is
 * followed to where it points, since a folder made through it lands there.
 */
export function realPathSync(p: string): string {
  let at = path.resolve(p);
  const rest: string[] = [];
  for (let links = 0; ; ) {
    try {
      return path.join(fsSync.realpathSync.native(at), ...rest);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    }
    const target = readLinkSync(at);
    if (target !== null) {
      if (++links > MAX_LINKS) throw Object.assign(new Error(`too many symbolic links in ${p}`), { code: 'ELOOP' });
      // The link exists, so its folder does: resolved first, so that a `..` in the target climbs from the real folder.
      at = path.resolve(fsSync.realpathSync.native(path.dirname(at)), target);
      continue;
    }
    const parent = path.dirname(at);
    if (parent === at) return path.join(at, ...rest);
    rest.unshift(path.basename(at));
    at = parent;
  }
}

/** The target of a symbolic link, or null when `p` is not one (or does not exist). */
function readLinkSync(p: string): string | null {
  try {
    return fsSync.readlinkSync(p);
  } catch {
    return null;
  }
}

/** Everything but folders under a folder, hidden files included, as posix paths relative to it. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => toPosix(path.relative(dir, path.join(e.parentPath, e.name))));
}

/**
 * What the system refused in a permission error: reading the file it names, or writing there. A
 * file that exists and cannot be read was being read; one that can be read, or is not there yet,
 * was being written (a copy names its source, and its destination as `dest`).
 */
export function deniedAccess(err: NodeJS.ErrnoException & { path: string; dest?: string }): { path: string; access: 'read' | 'write' } {
  const readable = (p: string): boolean | 'missing' => {
    try {
      fsSync.accessSync(p, fsSync.constants.R_OK);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : false;
    }
  };
  if (readable(err.path) === false) return { path: err.path, access: 'read' };
  const target = err.dest ?? err.path;
  // A temporary file or staged folder being made is not the user's to know of: its folder refused.
  const name = path.basename(target);
  const temporary = (TEMP_SUFFIX.test(name) || /^\..+\.(new|old)-/.test(name)) && readable(target) === 'missing';
  return { path: temporary ? path.dirname(target) : target, access: 'write' };
}
