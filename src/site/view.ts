import type { SiteConfig } from '../config/types.js';
import type { Post } from '../content/post.js';
import { formatDay, isoInZone, type SiteDate } from '../util/dates.js';
import { hash } from '../util/hash.js';
import type { Collections, Group } from './collections.js';
import type { ImageSize, MeasuredImage } from '../content/images.js';
import { encodePath, resolveLinks, sizeImages } from './links.js';
import type { PlannedPage, SitePlan } from './plan.js';
import { slugify } from './slug.js';
import { absoluteUrl, paginationUrl, siteUrls, withBase } from './urls.js';

/** A link as templates get it. */
export interface LinkView {
  text: string;
  url: string;
}

/** A date as templates get it. */
export interface DateView {
  /** For `<time datetime>`: `2012-08-16`, or a full ISO date-time when the post gave a time. */
  iso: string;
  /** Human date in the configured format and language, e.g. `16 August 2012`. */
  display: string;
  /** Calendar day, `YYYY-MM-DD`. */
  day: string;
  year: string;
}

/** A post (or standalone page) as templates get it. */
export interface PostView {
  kind: 'post' | 'page';
  title: string;
  url: string;
  absoluteUrl: string;
  date: DateView | null;
  updated: DateView | null;
  /** Each author's name and page; `url` is null when the name gives no URL slug. */
  authors: { text: string; url: string | null }[];
  authorRole: string | null;
  guest: boolean;
  series: { name: string; url: string; part: number; total: number; previous: LinkView | null; next: LinkView | null } | null;
  tags: LinkView[];
  summary: string;
  /** The lead image; `width` and `height` are its pixel size, when it could be read. */
  image: { url: string; absoluteUrl: string; alt: string; caption: string | null; credit: string | null; width: number | null; height: number | null } | null;
  readingMinutes: number;
  wordCount: number;
  /** Front matter as written, unknown keys included. */
  data: Record<string, unknown>;
  /** The post's HTML (only on the post's own page). */
  content?: string;
  /** The older and newer post (only on the post's own page). */
  previous?: LinkView | null;
  next?: LinkView | null;
}

/** Longest `<title>` that search engines show whole. */
const TITLE_MAX = 70;

function fit(text: string): string {
  return text.length <= TITLE_MAX ? text : `${text.slice(0, TITLE_MAX - 1).replace(/\s+\S*$/, '')}…`;
}

/** The document title: "Post – Site" when that fits in 70 characters, else the page's own title. */
export function documentTitle(pageTitle: string, siteTitle: string, isHome: boolean): string {
  if (isHome || !pageTitle) return fit(siteTitle);
  const full = `${pageTitle} – ${siteTitle}`;
  return full.length <= TITLE_MAX ? full : fit(pageTitle);
}

/**
 * The posts whose views a page's view model is made of (see `ViewBuilder#context`), beyond the
 * site's plan: on the same plan, a page none of whose posts changed has the view model it had.
 */
export function postsShown(page: PlannedPage, c: Collections): readonly Post[] {
  if (page.kind === 'archive') return c.posts;
  return page.post ? [page.post, ...(page.posts ?? [])] : (page.posts ?? []);
}

/** Builds the plain-JSON view models that templates receive. */
export class ViewBuilder {
  /** Cards by source path: one post per source in a build. */
  private readonly cards = new Map<string, PostView>();
  private readonly seriesBySlug: Map<string, Group>;
  /** Each published post's place in `posts`, by source path. */
  private readonly position: Map<string, number>;
  readonly site: Record<string, unknown>;

  constructor(
    private readonly config: Readonly<SiteConfig>,
    private readonly c: Collections,
    private readonly plan: SitePlan,
    private readonly images: ReadonlyMap<string, MeasuredImage> = new Map(),
    /** What a builder of the same site and plan already worked out (see `withEdited`). */
    same?: ViewBuilder,
  ) {
    this.seriesBySlug = same?.seriesBySlug ?? new Map(c.series.map((s) => [s.slug, s]));
    this.position = same?.position ?? new Map(c.posts.map((p, i) => [p.source, i]));
    this.site = same?.site ?? this.siteView();
  }

  /**
   * Views of the same site in which `posts` stand for the posts of the same sources. Only for
   * edits that leave each post's place in the site as it was (see `samePlace`): the collections
   * and the plan are not looked at again.
   */
  withEdited(posts: readonly Post[]): ViewBuilder {
    const views = new ViewBuilder(this.config, this.c, this.plan, this.images, this);
    const edited = new Set(posts.map((p) => p.source));
    for (const [source, card] of this.cards) if (!edited.has(source)) views.cards.set(source, card);
    return views;
  }

  /** The intrinsic size of an image file (site-relative path), when known. */
  sizeOf = (target: string): ImageSize | undefined => this.images.get(target)?.size ?? undefined;

  /** A site URL as a page links to it (base path in front). */
  href = (url: string): string => (url.startsWith('/') ? withBase(this.config.basePath, url) : url);

  /** A site URL as an absolute URL. */
  absolute = (url: string): string => absoluteUrl(this.config.baseUrl, this.config.basePath, url);

  date(d: SiteDate | null): DateView | null {
    if (!d) return null;
    return {
      iso: d.hasTime ? isoInZone(d.instant, this.config.timeZone) : d.day,
      display: formatDay(d.day, this.config.dateFormat, this.config.language),
      day: d.day,
      year: d.day.slice(0, 4),
    };
  }

  private link(post: Post): LinkView {
    return { text: post.title, url: this.href(this.plan.urls.get(post.source)!) };
  }

  /** A post as a listing shows it: everything but its content. */
  card(post: Post): PostView {
    const cached = this.cards.get(post.source);
    if (cached) return cached;
    const url = this.plan.urls.get(post.source)!;
    const series = post.series ? this.seriesBySlug.get(slugify(post.series)) : undefined;
    const part = series ? series.posts.findIndex((p) => p.source === post.source) : -1;
    const imageUrl = this.plan.imageUrls.get(post.source);
    const view: PostView = {
      kind: post.kind,
      title: post.title,
      url: this.href(url),
      absoluteUrl: this.absolute(url),
      date: this.date(post.date),
      updated: this.date(post.updated),
      // A name with nothing to make a slug from has no author page to link to.
      authors: post.authors.map((name) => ({ text: name, url: slugify(name) ? this.href(siteUrls.author(slugify(name))) : null })),
      authorRole: post.authorRole,
      guest: post.guest,
      series:
        series && part >= 0
          ? {
              name: series.name,
              url: this.href(siteUrls.series(series.slug)),
              part: part + 1,
              total: series.posts.length,
              previous: part > 0 ? this.link(series.posts[part - 1]!) : null,
              next: part < series.posts.length - 1 ? this.link(series.posts[part + 1]!) : null,
            }
          : null,
      tags: post.tags.filter((t) => slugify(t)).map((name) => ({ text: name, url: this.href(siteUrls.tag(slugify(name))) })),
      summary: post.summary,
      image:
        post.image && imageUrl
          ? {
              url: encodePath(this.href(imageUrl)),
              absoluteUrl: encodePath(this.absolute(imageUrl)),
              alt: post.image.alt,
              caption: post.image.caption,
              credit: post.image.credit,
              width: this.sizeOf(post.image.target)?.width ?? null,
              height: this.sizeOf(post.image.target)?.height ?? null,
            }
          : null,
      readingMinutes: post.readingMinutes,
      wordCount: post.wordCount,
      data: post.data,
    };
    // A page's cache key serialises its view model; each card stands in it as a hash of itself,
    // made when first needed (a search result card needs none).
    let key: string | undefined;
    Object.defineProperty(view, 'toJSON', { value: () => (key ??= `card:${hash(JSON.stringify({ ...view }))}`), enumerable: false });
    this.cards.set(post.source, view);
    return view;
  }

  /** The post's HTML with its links pointing at real URLs. */
  content(post: Post, toHref: (url: string) => string = this.href): string {
    return resolveLinks(sizeImages(post.html, this.sizeOf), this.plan.refUrls, toHref);
  }

  /**
   * A post as its own page shows it: with content and the older and newer post. The content is
   * resolved only when a template reads it; in a page's cache key it stands as the hash of the
   * post's HTML and of the URLs its links resolve to, which is all it is made of.
   */
  full(post: Post): PostView {
    const i = this.position.get(post.source) ?? -1;
    const older = i >= 0 ? this.c.posts[i + 1] : undefined;
    const newer = i > 0 ? this.c.posts[i - 1] : undefined;
    const card = this.card(post);
    const view: PostView = { ...card, previous: older ? this.link(older) : null, next: newer ? this.link(newer) : null };
    let content: string | undefined;
    Object.defineProperty(view, 'content', { get: () => (content ??= this.content(post)), enumerable: true });
    const links = JSON.stringify(post.refs.map((r) => [this.plan.refUrls.get(r.target) ?? '', r.kind === 'image' ? this.sizeOf(r.target) : null]));
    const key = `post:${hash(JSON.stringify(card), post.htmlHash, links, JSON.stringify([view.previous, view.next]))}`;
    Object.defineProperty(view, 'toJSON', { value: () => key, enumerable: false });
    return view;
  }

  private siteView(): Record<string, unknown> {
    const { config, c } = this;
    let newest: number | null = null;
    for (const p of c.posts) {
      for (const d of [p.date?.day, p.updated?.day]) if (d && (newest === null || Number(d.slice(0, 4)) > newest)) newest = Number(d.slice(0, 4));
    }
    const latest = newest ?? config.copyright.since;
    const since = config.copyright.since ?? latest;
    return {
      title: config.title,
      description: config.description,
      language: config.language,
      baseUrl: config.baseUrl,
      basePath: config.basePath,
      url: this.href('/'),
      absoluteUrl: this.absolute('/'),
      nav: config.nav.map((l) => ({ text: l.text, url: this.href(l.url), path: l.url })),
      footerLinks: config.footerLinks.map((l) => ({ text: l.text, url: this.href(l.url) })),
      copyright: {
        holder: config.copyright.holder,
        since,
        latest,
        years: since && latest && latest > since ? `${since}–${latest}` : String(since ?? ''),
      },
      feeds: { atom: this.href(siteUrls.atom), rss: this.href(siteUrls.rss), json: this.href(siteUrls.jsonFeed) },
      searchUrl: this.href(siteUrls.search),
      searchIndexUrl: this.href(siteUrls.searchIndex),
      assetsUrl: this.href(siteUrls.assets),
      tagsUrl: this.href(siteUrls.tags),
      archiveUrl: this.href(siteUrls.archive),
      params: config.params,
    };
  }

  /** The site's view as a page's cache key has it. */
  private readonly siteKey = (): string => (this.siteHash ??= `site:${hash(JSON.stringify(this.site))}`);
  private siteHash: string | undefined;

  /**
   * The whole context a page's layout is rendered with. Of posts, it draws on those `postsShown`
   * names, and on the others only for their place in the site (titles, URLs, groups): keep the two in step.
   */
  context(page: PlannedPage): Record<string, unknown> {
    const { c } = this;
    const titles: Record<string, string> = {
      home: this.config.title,
      tags: 'Tags',
      archive: 'Archive',
      search: 'Search',
      notFound: 'Page not found',
    };
    let title = titles[page.kind] ?? '';
    let description = this.config.description;
    const extra: Record<string, unknown> = {};
    let image: string | null = null;
    if (page.post) {
      const view = this.full(page.post);
      extra.post = view;
      title = view.title;
      description = view.summary || description;
      image = view.image?.absoluteUrl ?? null;
    }
    if (page.group) {
      const g = { name: page.group.name, url: this.href(page.url.replace(/page\/\d+\/$/, '')), count: page.group.posts.length };
      extra[page.kind] = g;
      const first = page.group.posts[0];
      title =
        page.kind === 'tag' ? `Posts tagged “${g.name}”` : page.kind === 'author' ? `Posts by ${g.name}` : g.name;
      if (page.kind === 'author' && first) {
        const withRole = page.group.posts.find((p) => p.authors.length === 1 && p.authorRole);
        extra.author = { ...g, role: withRole?.authorRole ?? null };
      }
    }
    if (page.posts) extra.posts = page.posts.map((p) => this.card(p));
    if (page.pageNumber && page.pageCount) {
      const first = page.url.replace(/page\/\d+\/$/, '');
      extra.pagination = {
        page: page.pageNumber,
        pages: page.pageCount,
        previous: page.pageNumber > 1 ? this.href(paginationUrl(first, page.pageNumber - 1)) : null,
        next: page.pageNumber < page.pageCount ? this.href(paginationUrl(first, page.pageNumber + 1)) : null,
      };
      if (page.pageNumber > 1) title = `${title} – page ${page.pageNumber}`;
    }
    if (page.kind === 'tags') extra.tags = c.tags.map((t) => ({ name: t.name, url: this.href(siteUrls.tag(t.slug)), count: t.posts.length }));
    if (page.kind === 'archive') extra.years = c.years.map((y) => ({ year: y.year, posts: y.posts.map((p) => this.card(p)) }));
    const nav = (this.site.nav as { text: string; url: string; path: string }[]).map((l) => ({ ...l, current: l.path === page.url }));
    // In a page's cache key the site stands as a hash of itself: which link is current follows from the page's URL.
    const site = Object.defineProperty({ ...this.site, nav }, 'toJSON', { value: this.siteKey, enumerable: false });
    return {
      site,
      page: {
        kind: page.kind,
        title,
        description,
        url: this.href(page.url),
        absoluteUrl: this.absolute(page.url),
        image,
        type: page.kind === 'post' ? 'article' : 'website',
        noindex: page.kind === 'notFound' || page.kind === 'search',
        isHome: page.kind === 'home' && page.pageNumber === 1,
        documentTitle: documentTitle(title, this.config.title, page.kind === 'home' && page.pageNumber === 1),
      },
      ...extra,
    };
  }
}
