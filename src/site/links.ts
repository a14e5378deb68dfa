import { REF_SCHEME } from '../content/markdown.js';

const REF_RE = new RegExp(`${REF_SCHEME}([^"'\\s?#]*)`, 'g');

/**
 * Replaces the `gi-ref:` placeholders in a post's HTML with real URLs. `toHref` turns a site URL
 * into what the page needs: base path in front for pages, origin and base path for feeds.
 */
export function resolveLinks(html: string, refUrls: ReadonlyMap<string, string>, toHref: (siteUrl: string) => string): string {
  return html.replace(REF_RE, (_, encoded: string) => {
    let target: string;
    try {
      target = decodeURI(encoded).replace(/%3F/g, '?').replace(/%23/g, '#');
    } catch {
      target = encoded;
    }
    return encodeURI(toHref(refUrls.get(target) ?? `/${target.replace(/^\/+/, '')}`));
  });
}

/** Makes in-page links (`href="#fn-1"`) absolute, for HTML read outside the page (feeds). */
export function absoluteFragments(html: string, pageUrl: string): string {
  return html.replace(/(href|src)="#/g, `$1="${pageUrl}#`);
}
