import path from 'node:path';

/** Where a URL in a page leads, in terms of the output folder. */
export type Target =
  /** Another host or scheme (`https:`, `mailto:`, `//host`): not checked. */
  | { kind: 'external' }
  /** A file of the site: the first of `files` that exists answers it. */
  | { kind: 'file'; files: string[]; fragment: string | null }
  /** A URL that cannot lead to any file of the site, and why. */
  | { kind: 'broken'; why: string };

/** A stand-in origin for resolving site URLs; any other origin is an external URL. */
const ORIGIN = 'http://site.gi-build.invalid';

/** The URL a page is served at: `posts/a/index.html` under `/blog/` → `/blog/posts/a/`. */
export function pageUrl(output: string, basePath: string): string {
  return basePath + output.replace(/(^|\/)index\.html$/, '$1');
}

/**
 * Resolves a URL found in the page served at `from` (with the base path) against the output folder:
 * the URL must stay under the base path; percent-encoding is decoded; `/x/` means `x/index.html` and
 * `/x` either `x` or `x/index.html`; the query string does not matter to a static file.
 */
export function resolveUrl(url: string, from: string, basePath: string): Target {
  let resolved: URL;
  try {
    resolved = new URL(url, ORIGIN + from);
  } catch {
    return { kind: 'broken', why: 'not a valid URL' };
  }
  if (resolved.origin !== ORIGIN) return { kind: 'external' };

  const fragment = resolved.hash ? resolved.hash.slice(1) : null;
  // `/blog` is `/blog/` once the server has redirected to the folder.
  const pathname = `${resolved.pathname}/` === basePath ? basePath : resolved.pathname;
  if (!pathname.startsWith(basePath)) return { kind: 'broken', why: `it is outside the base path ${basePath}` };
  let rest: string;
  try {
    rest = decodeURIComponent(pathname.slice(basePath.length));
  } catch {
    return { kind: 'broken', why: 'its percent-encoding is malformed' };
  }
  // A decoded `%2F..` could climb out of the output folder.
  const normal = path.posix.normalize(rest || '.');
  if (normal === '..' || normal.startsWith('../') || rest.includes('\0')) return { kind: 'broken', why: 'it leads outside the output folder' };
  const files = rest === '' || rest.endsWith('/') ? [`${rest}index.html`] : [rest, `${rest}/index.html`];
  return { kind: 'file', files, fragment };
}

/** True when a fragment needs no element: none at all, `#`, `#top`, or a text fragment (`#:~:text=`). */
export function isFreeFragment(fragment: string | null): boolean {
  return !fragment || fragment.toLowerCase() === 'top' || fragment.startsWith(':~:');
}

/** Whether a fragment names an element of a page, taken as written or percent-decoded (as browsers try both). */
export function hasFragment(ids: ReadonlySet<string>, fragment: string): boolean {
  if (ids.has(fragment)) return true;
  try {
    return ids.has(decodeURIComponent(fragment));
  } catch {
    return false;
  }
}
