import fs from 'node:fs';
import path from 'node:path';
import type { SiteConfig } from '../config/types.js';
import type { Post } from '../content/post.js';
import { isOwnOutputNow, writeAheadNow } from '../output/writer.js';
import { renderPages } from '../render/site.js';
import type { Collections } from '../site/collections.js';
import type { PlannedPage, SitePlan } from '../site/plan.js';
import type { ViewBuilder } from '../site/view.js';
import { hash, signature } from '../util/hash.js';
import { hasErrors } from '../util/messages.js';
import type { SourceParser } from './parse.js';
import type { BuildState, ParsedSource } from './state.js';

/**
 * The site as a successful build planned it, kept so that the next build can put an edited post's
 * page out before it has looked at anything else. Stale as soon as a post's place changes, which
 * `samePlace` checks for each edited post, or when a post's publication time passes (`due`).
 */
export interface SiteModel {
  collections: Collections;
  plan: SitePlan;
  views: ViewBuilder;
  /** Each post's or page's own page, by source path. */
  pages: Map<string, PlannedPage>;
  /** The earliest time a post left out as future becomes due; from then on the plan is out of date. */
  due: number;
}

/** The earliest time after `now` that one of the posts becomes due (Infinity: none is in the future). */
export function firstDue(all: readonly Post[], now: number): number {
  let due = Infinity;
  for (const p of all) if (p.kind === 'post' && p.date && p.date.instant > now && p.date.instant < due) due = p.date.instant;
  return due;
}

/** The site model of a build, from its collections and plan, and the time its first future post is due (`firstDue`). */
export function siteModel(collections: Collections, plan: SitePlan, views: ViewBuilder, due: number): SiteModel {
  return {
    collections,
    plan,
    views,
    pages: new Map(plan.pages.flatMap((p) => (p.post ? [[p.post.source, p] as const] : []))),
    due,
  };
}

/**
 * Whether a post's new version takes the same place in the site as its old one: the same URL,
 * order, groups, series part, lead image and layout. Then the other posts and every listing are
 * as they were, and only what the post shows on its own page (its text, summary, word count and
 * other front matter) differs.
 */
export function samePlace(a: Post, b: Post): boolean {
  const place = (p: Post) =>
    JSON.stringify([p.kind, p.source, p.bundle, p.title, p.date, p.updated, p.authors, p.authorRole, p.guest, p.series, p.tags, p.image, p.slug, p.draft, p.layout]);
  return place(a) === place(b);
}

/** What went out ahead of a rebuild. */
export interface Ahead {
  /** The edited sources as now parsed, for the rebuild to take instead of parsing them again. */
  parsed: Map<string, ParsedSource>;
  written: string[];
  outputs: Map<string, string>;
  pageKeys: Map<string, string>;
}

/**
 * Writes the pages of edited posts before the rebuild discovers, parses and plans the whole site,
 * and without yielding to the event loop, so that nothing queued (a watcher's rescan of a large
 * folder) holds them up: the page a writer is waiting for goes out in a few milliseconds. Only
 * when every edited source is a published post (or page) that parses without errors, keeps its
 * place (`samePlace`) and links only to targets and images the previous plan knows: then its
 * page, rendered against the previous plan, is exactly the page the rebuild makes (the rebuild
 * renders it again, finds the same key and leaves it). Otherwise null, and the rebuild does
 * everything in its usual order. `previous` must be the state of the same config.
 */
export function editedPagesAhead(config: Readonly<SiteConfig>, previous: BuildState, edited: ReadonlySet<string>, now: number, parse: SourceParser): Ahead | null {
  const site = previous.site;
  if (!site || !previous.templates || now >= site.due || edited.size === 0 || previous.outputs.size === 0 || !isOwnOutputNow(config.outDir)) return null;
  const parsed = new Map<string, ParsedSource>();
  const pages: PlannedPage[] = [];
  for (const source of edited) {
    const page = site.pages.get(source);
    const old = previous.parsed.get(source)?.result.post;
    if (!page || !old) return null;
    let sig: string;
    let bytes: Uint8Array;
    try {
      const absolute = path.join(config.root, source);
      sig = signature(fs.statSync(absolute));
      bytes = fs.readFileSync(absolute);
    } catch {
      return null;
    }
    const result = parse({ kind: old.kind, path: source, bundle: old.bundle }, bytes);
    const post = result.post;
    if (!post || hasErrors(result.messages) || !samePlace(old, post)) return null;
    const known = post.refs.every((r) => site.plan.refUrls.has(r.target) && (r.kind !== 'image' || previous.images.has(r.target)));
    if (!known) return null;
    parsed.set(source, { signature: sig, sourceHash: hash(bytes), result });
    pages.push({ ...page, post });
  }
  const views = site.views.withEdited(pages.map((p) => p.post!));
  const rendered = renderPages(pages, previous.templates, views, { previousKeys: previous.pages });
  if (hasErrors(rendered.messages)) return null;
  const outputs = writeAheadNow(config.outDir, rendered.files as { path: string; contents: string }[], previous.outputs);
  return { parsed, written: rendered.files.map((f) => f.path), outputs, pageKeys: rendered.pageKeys };
}
