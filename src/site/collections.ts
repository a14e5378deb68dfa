import type { Post } from '../content/post.js';
import { slugify } from './slug.js';

/** A named group of posts: a tag, a series or an author. */
export interface Group {
  name: string;
  slug: string;
  posts: Post[];
}

/** The published posts and the groups they form. */
export interface Collections {
  /** Published posts, newest first. */
  posts: Post[];
  /** Standalone pages, by title. */
  pages: Post[];
  tags: Group[];
  /** Each series' posts oldest first: part 1 is the first published. */
  series: Group[];
  authors: Group[];
  years: { year: string; posts: Post[] }[];
  /** Sources left out as drafts or future posts, so links to them can be explained. */
  unpublished: Set<string>;
  /** Different names that ended up on one page. */
  clashes: NameClash[];
}

/** Newest first; ties broken by source path so the order never depends on the file system. */
export function byDateDesc(a: Post, b: Post): number {
  return (b.date?.instant ?? 0) - (a.date?.instant ?? 0) || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);
}

/** Two names that differ in more than case and accents but share a URL, so one page shows both. */
export interface NameClash {
  kind: 'tag' | 'series' | 'author';
  slug: string;
  name: string;
  other: string;
  /** The post that brought in `name`. */
  source: string;
}

function group(posts: Post[], names: (p: Post) => string[], byName: Intl.Collator, kind: NameClash['kind'], clashes: NameClash[]): Group[] {
  const groups = new Map<string, Group>();
  for (const post of posts) {
    for (const name of names(post)) {
      const slug = slugify(name);
      if (!slug) continue;
      let g = groups.get(slug);
      if (!g) {
        // The first spelling met (on the newest post) names the group: `Health` and `health` are one tag.
        g = { name, slug, posts: [] };
        groups.set(slug, g);
      } else if (byName.compare(g.name, name) !== 0 && !clashes.some((c) => c.kind === kind && c.slug === slug && c.name === name)) {
        clashes.push({ kind, slug, name, other: g.name, source: post.source });
      }
      if (g.posts.at(-1) !== post) g.posts.push(post);
    }
  }
  return [...groups.values()].sort((a, b) => byName.compare(a.name, b.name) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** Whether a post is published in this build: not a draft (unless drafts are on) and not in the future (unless future is on). */
export function isPublished(post: Post, options: { drafts: boolean; future: boolean; now: number }): boolean {
  if (post.draft && !options.drafts) return false;
  if (post.kind === 'post' && !options.future && post.date && post.date.instant > options.now) return false;
  return true;
}

/** Sorts and groups every parsed post and page. */
export function collect(all: Post[], options: { drafts: boolean; future: boolean; now: number; language?: string }): Collections {
  // Names sort as readers of the site's language expect ("Äpfel" in German, Swedish or English), never by the machine's locale.
  const byName = new Intl.Collator(options.language ?? 'en', { sensitivity: 'base' });
  const published = all.filter((p) => isPublished(p, options));
  const unpublished = new Set(all.filter((p) => !isPublished(p, options)).map((p) => p.source));
  const posts = published.filter((p) => p.kind === 'post').sort(byDateDesc);
  const pages = published.filter((p) => p.kind === 'page').sort((a, b) => byName.compare(a.title, b.title) || (a.source < b.source ? -1 : 1));
  const clashes: NameClash[] = [];
  const series = group(posts, (p) => (p.series ? [p.series] : []), byName, 'series', clashes);
  for (const s of series) s.posts.reverse();
  const years = new Map<string, Post[]>();
  for (const post of posts) {
    const year = post.date!.day.slice(0, 4);
    const list = years.get(year) ?? [];
    list.push(post);
    years.set(year, list);
  }
  return {
    posts,
    pages,
    tags: group(posts, (p) => p.tags, byName, 'tag', clashes),
    series,
    authors: group(posts, (p) => p.authors, byName, 'author', clashes),
    years: [...years.entries()].map(([year, list]) => ({ year, posts: list })),
    unpublished,
    clashes,
  };
}
