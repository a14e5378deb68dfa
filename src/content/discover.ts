import fs from 'node:fs/promises';
import path from 'node:path';
import { toPosix } from '../util/paths.js';
import { screenAssets, type Screened } from './assets.js';

/** A Markdown source the build will parse. */
export interface SourceFile {
  kind: 'post' | 'page';
  /** Site-relative posix path, e.g. `posts/2024-03-01-hello.md`. */
  path: string;
  /** Absolute path on disk. */
  absolute: string;
  /** For a folder post (`posts/x/index.md`), the folder's site-relative path; else null. */
  bundle: string | null;
}

/** Everything the build reads from the site folder. */
export interface SiteSources {
  sources: SourceFile[];
  /** Site-relative paths of every other file under posts/ and pages/ (images, downloads). */
  assets: Set<string>;
  /** Site-relative paths of files under static/. */
  statics: string[];
  /** Assets that may not be published (see `screenAssets`), with why. */
  screened: Map<string, Screened>;
}

/** Never content, never published: version control and operating-system droppings. */
const JUNK = new Set(['.git', '.svn', '.hg', '.DS_Store', 'Thumbs.db', 'desktop.ini']);

async function walk(root: string, dir: string, out: string[], hidden: boolean): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const entry of entries) {
    // Hidden files and editor droppings (.DS_Store, .#draft.md, foo.md~) are never content.
    if (JUNK.has(entry.name) || entry.name.endsWith('~') || (!hidden && entry.name.startsWith('.'))) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walk(root, rel, out, hidden);
    else if (entry.isFile()) out.push(rel);
  }
}

/**
 * Lists a folder's files recursively as sorted site-relative posix paths. Hidden files are left out
 * unless asked for (static/ may hold `.well-known/` or `.nojekyll`).
 */
export async function listFiles(root: string, dir: string, options: { hidden?: boolean } = {}): Promise<string[]> {
  const out: string[] = [];
  await walk(root, toPosix(dir), out, options.hidden ?? false);
  return out.sort();
}

function insideBundle(dir: string, bundles: Set<string>): boolean {
  for (let d = dir; d.includes('/'); d = path.posix.dirname(d)) {
    if (bundles.has(d)) return true;
  }
  return false;
}

const isMarkdown = (p: string): boolean => /\.(md|markdown)$/i.test(p);

/** Finds posts, pages, their assets and static files under the site root. */
export async function discover(root: string): Promise<SiteSources> {
  const [postFiles, pageFiles, statics] = await Promise.all([
    listFiles(root, 'posts'),
    listFiles(root, 'pages'),
    listFiles(root, 'static', { hidden: true }),
  ]);
  const sources: SourceFile[] = [];
  const assets = new Set<string>();
  const bundles = new Set(postFiles.filter((p) => /\/index\.(md|markdown)$/i.test(p)).map((p) => path.posix.dirname(p)));
  for (const p of postFiles) {
    if (!isMarkdown(p)) {
      assets.add(p);
      continue;
    }
    const dir = path.posix.dirname(p);
    const isBundleIndex = bundles.has(dir) && /\/index\.(md|markdown)$/i.test(p);
    // Other Markdown files inside a folder post are its fragments, not posts of their own.
    if (!isBundleIndex && insideBundle(dir, bundles)) {
      assets.add(p);
      continue;
    }
    sources.push({ kind: 'post', path: p, absolute: path.join(root, p), bundle: isBundleIndex ? dir : null });
  }
  for (const p of pageFiles) {
    if (isMarkdown(p)) sources.push({ kind: 'page', path: p, absolute: path.join(root, p), bundle: null });
    else assets.add(p);
  }
  return { sources, assets, statics, screened: await screenAssets(root, assets) };
}
