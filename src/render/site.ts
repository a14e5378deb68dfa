import type { SiteConfig } from '../config/types.js';
import type { OutputFile } from '../output/files.js';
import type { Collections } from '../site/collections.js';
import type { PlannedPage, SitePlan } from '../site/plan.js';
import type { ViewBuilder } from '../site/view.js';
import { hash } from '../util/hash.js';
import { error, type Message } from '../util/messages.js';
import { renderFeeds, renderSitemap } from './feeds.js';
import { TemplateError, type TemplateSet } from './templates.js';
import { tidyHtml } from './tidy.js';

/** Rendered pages: the files, and the problems met while rendering. */
export interface PagesResult {
  /** Pages rendered in this build (those whose input changed). */
  files: OutputFile[];
  /** Output paths of pages whose input is unchanged: their files from the last build stand. */
  kept: string[];
  /** Hash of each page's layout and view model, for the next build. */
  pageKeys: Map<string, string>;
  messages: Message[];
}

/** The layout every page's own layout is wrapped in. */
export const BASE_LAYOUT = 'base';

/** What `renderPages` knows of earlier renderings. */
export interface RenderOptions {
  /** Each page's key (its layout and view model, hashed) when last rendered, by output path. */
  previousKeys?: ReadonlyMap<string, string>;
  /** Problems already reported by earlier calls of the same build: each is reported once. */
  reported?: Set<string>;
  /** Pages known to have the view model they had: kept under their previous key, which is not computed again. */
  settled?: (page: PlannedPage) => boolean;
}

/** Renders pages, skipping those whose layout and view model hash to the key they had last time. */
export function renderPages(pages: readonly PlannedPage[], templates: TemplateSet, views: ViewBuilder, options: RenderOptions = {}): PagesResult {
  const { previousKeys = new Map<string, string>(), reported = new Set<string>(), settled } = options;
  const files: OutputFile[] = [];
  const kept: string[] = [];
  const pageKeys = new Map<string, string>();
  const messages: Message[] = [];

  for (const page of pages) {
    for (const layout of [page.layout, BASE_LAYOUT]) {
      if (!templates.has(layout) && !reported.has(`${page.origin}|${layout}`)) {
        reported.add(`${page.origin}|${layout}`);
        messages.push(
          error(
            page.post?.source ?? '',
            `no layout named "${layout}" (needed by ${page.origin}); looked for ${templates.searched(layout).join(' and ')}`,
            'template/missing-layout',
            layout === page.layout && page.post?.layoutLine ? { line: page.post.layoutLine } : {},
            page.post ? 'Fix the "layout" key, or add the layout file to templates/layouts/.' : undefined,
          ),
        );
      }
    }
    if (!templates.has(page.layout) || !templates.has(BASE_LAYOUT)) continue;
    const before = previousKeys.get(page.output);
    if (before !== undefined && settled?.(page)) {
      kept.push(page.output);
      pageKeys.set(page.output, before);
      continue;
    }
    try {
      const context = views.context(page);
      // A page is a pure function of its layout and its view model: if neither changed, neither did the page.
      const key = hash(page.layout, JSON.stringify(context));
      if (previousKeys.get(page.output) === key) {
        kept.push(page.output);
        pageKeys.set(page.output, key);
        continue;
      }
      const content = templates.render(page.layout, context);
      files.push({ path: page.output, contents: tidyHtml(templates.render(BASE_LAYOUT, { ...context, content })) });
      pageKeys.set(page.output, key);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      const key = `${err.file}|${err.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      messages.push(error(err.file, `${err.message} (while rendering ${page.origin})`, 'template/render', err.line ? { line: err.line } : {}));
    }
  }
  return { files, kept, pageKeys, messages };
}

/** The site's other files: feeds, sitemap and robots.txt. */
export function renderSiteFiles(
  config: Readonly<SiteConfig>,
  c: Collections,
  plan: SitePlan,
  views: ViewBuilder,
  robotsExtra: string | null,
): OutputFile[] {
  const entries = plan.pages
    .filter((p) => p.kind !== 'notFound' && p.kind !== 'search')
    .map((p) => ({ url: p.url, lastmod: (p.post?.updated ?? p.post?.date)?.day ?? null }));
  return [
    ...renderFeeds(config, c.posts, views),
    ...renderSitemap(entries, views, robotsExtra),
  ];
}
