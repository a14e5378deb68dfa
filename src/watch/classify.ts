import path from 'node:path';
import { CONFIG_FILES } from '../config/defaults.js';

/** What chokidar reports, with the path relative to the site root (posix). */
export interface WatchEvent {
  kind: 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';
  path: string;
}

/** What a batch of file events means for the next build. */
export interface ChangeSet {
  /** Rebuild from scratch: the config changed, or something we cannot place. */
  full: boolean;
  /** A layout, partial or theme asset changed: reload templates, re-render every page. */
  templates: boolean;
  /** Posts, pages or their files that changed: these are read again. */
  sources: Set<string>;
  /** A file under static/ changed: it is copied again. */
  statics: boolean;
  /** Every path in the batch, in order, once. */
  paths: string[];
}

/** Editor droppings that are never content: backups, swap files, vim's write test. */
export function isEditorJunk(file: string): boolean {
  const name = path.posix.basename(file);
  return name.endsWith('~') || /\.sw[a-p]$/.test(name) || name === '4913' || /^\.#/.test(name) || name === '.DS_Store';
}

/**
 * Classifies a batch of file events. Pure: the policy for what each kind of change costs lives
 * here, and anything it cannot place asks for a full rebuild.
 */
export function classify(events: readonly WatchEvent[]): ChangeSet {
  const set: ChangeSet = { full: false, templates: false, sources: new Set(), statics: false, paths: [] };
  for (const event of events) {
    if (isEditorJunk(event.path)) continue;
    if (!set.paths.includes(event.path)) set.paths.push(event.path);
    const top = event.path.split('/')[0]!;
    if (CONFIG_FILES.includes(event.path)) set.full = true;
    else if (top === 'templates') set.templates = true;
    else if (top === 'posts' || top === 'pages') {
      // A folder appearing or going away can hold any number of posts: let the build find them.
      if (event.kind === 'addDir' || event.kind === 'unlinkDir') continue;
      set.sources.add(event.path);
    } else if (top === 'static') set.statics = true;
    else set.full = true;
  }
  return set;
}

/** True when a batch changes nothing the build reads. */
export function isEmpty(changes: ChangeSet): boolean {
  return changes.paths.length === 0;
}

/** A few words on what changed, for the rebuild line: "posts/a.md changed", "3 files changed". */
export function describeChanges(changes: ChangeSet): string {
  if (changes.paths.length === 1) return `${changes.paths[0]} changed`;
  return `${changes.paths.length} files changed`;
}

/** Whether chokidar should skip a path (site-relative posix): only sources, templates, static files and the config are watched. */
export function isIgnored(rel: string): boolean {
  if (rel === '' || rel === '.') return false;
  const top = rel.split('/')[0]!;
  if (CONFIG_FILES.includes(rel)) return false;
  if (!['posts', 'pages', 'templates', 'static'].includes(top)) return true;
  // Version control inside a watched folder is never content.
  return rel.split('/').some((segment) => segment === '.git' || segment === 'node_modules');
}
