/**
 * Site URLs. Every URL here is site-relative and starts with `/`; `withBase` adds the base path
 * for links in pages, `absoluteUrl` adds origin and base path for feeds and the sitemap.
 */

/** Fills a permalink pattern (`/posts/:slug/`, `/:year/:month/:slug/`) for a post. */
export function fillPermalink(pattern: string, slug: string, day: string | null): string {
  const [year = '', month = '', date = ''] = (day ?? '').split('-');
  const filled = pattern
    .replace(/:slug/g, slug)
    .replace(/:year/g, year)
    .replace(/:month/g, month)
    .replace(/:day/g, date);
  return normaliseUrl(filled);
}

/** Collapses duplicate slashes and makes sure a URL starts with `/` and a folder URL ends with `/`. */
export function normaliseUrl(url: string): string {
  let u = `/${url}`.replace(/\/{2,}/g, '/');
  const last = u.slice(u.lastIndexOf('/') + 1);
  if (last !== '' && !last.includes('.')) u += '/';
  return u;
}

/** URL of page `n` (1-based) of a paginated listing whose first page is `first`. */
export function paginationUrl(first: string, n: number): string {
  return n <= 1 ? first : `${first}page/${n}/`;
}

/** The file a URL is written to: `/posts/x/` → `posts/x/index.html`, `/feed.xml` → `feed.xml`. */
export function outputPath(url: string): string {
  const path = url.replace(/^\/+/, '');
  return path === '' || path.endsWith('/') ? `${path}index.html` : path;
}

/** A site URL with the base path in front: `/posts/x/` under `/blog/` → `/blog/posts/x/`. */
export function withBase(basePath: string, url: string): string {
  return basePath + url.replace(/^\/+/, '');
}

/** A site URL as an absolute URL for feeds and the sitemap. */
export function absoluteUrl(baseUrl: string, basePath: string, url: string): string {
  return baseUrl + withBase(basePath, url);
}

/** URLs of the site's listings and fixed pages. */
export const siteUrls = {
  home: '/',
  tags: '/tags/',
  tag: (slug: string) => `/tags/${slug}/`,
  series: (slug: string) => `/series/${slug}/`,
  author: (slug: string) => `/authors/${slug}/`,
  archive: '/archive/',
  page: (slug: string) => `/${slug}/`,
  search: '/search/',
  searchIndex: '/search/index.json',
  notFound: '/404.html',
  atom: '/feed.xml',
  rss: '/rss.xml',
  jsonFeed: '/feed.json',
  sitemap: '/sitemap.xml',
  robots: '/robots.txt',
  assets: '/assets/',
} as const;
