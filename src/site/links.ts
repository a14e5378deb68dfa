import { REF_SCHEME } from '../content/refs.js';

const REF_RE = new RegExp(`${REF_SCHEME}([^"'\\s?#]*)`, 'g');

/**
 * Replaces the `gi-ref:` placeholders in a post's HTML with real URLs. `toHref` turns a site URL
 * into what the page needs: base path in front for pages, origin and base path for feeds.
 */
export function resolveLinks(html: string, refUrls: ReadonlyMap<string, string>, toHref: (siteUrl: string) => string): string {
  // Only attribute values hold placeholders: "gi-ref:" written in a post's text stays text.
  return html.replace(URL_ATTR_RE, (_, before: string, value: string) =>
    before +
    value.replace(REF_RE, (__, encoded: string) => {
      let target: string;
      try {
        target = decodeURI(encoded).replace(/%3F/g, '?').replace(/%23/g, '#');
      } catch {
        target = encoded;
      }
      return encodePath(toHref(refUrls.get(target) ?? `/${target.replace(/^\/+/, '')}`));
    }) +
    '"',
  );
}

const URL_ATTR_RE = /(\s(?:href|src|srcset|poster)=")([^"]*)"/g;

/** Percent-encodes each segment of a URL's path (`#` and `?` in a file name included); the origin, if any, is left alone. */
export function encodePath(url: string): string {
  const origin = /^[a-z][a-z\d+.-]*:\/\/[^/]*/i.exec(url)?.[0] ?? '';
  const encode = (s: string) => encodeURI(s).replace(/#/g, '%23').replace(/\?/g, '%3F');
  const segments = url.slice(origin.length).split('/').map((s) => {
    try {
      return encode(decodeURIComponent(s));
    } catch {
      return encode(s);
    }
  });
  return origin + segments.join('/');
}

const IMG_RE = /<img\b[^>]*>/g;
const REF_SRC_RE = new RegExp(`\\ssrc="${REF_SCHEME}([^"]*)"`);

/**
 * Gives each image of a post that points at a site file its `width` and `height` (so the page does
 * not jump as it loads) and lazy loading (a post's body is below its title and lead image). Runs on
 * HTML whose links are still `gi-ref:` placeholders.
 */
export function sizeImages(html: string, sizeOf: (target: string) => { width: number; height: number } | undefined): string {
  return html.replace(IMG_RE, (tag) => {
    const src = REF_SRC_RE.exec(tag);
    let extra = '';
    if (src && !/\swidth=/.test(tag) && !/\sheight=/.test(tag)) {
      let target: string;
      try {
        target = decodeURI(src[1]!).replace(/%3F/g, '?').replace(/%23/g, '#');
      } catch {
        target = src[1]!;
      }
      const size = sizeOf(target);
      if (size) extra += ` width="${size.width}" height="${size.height}"`;
    }
    if (!/\sloading=/.test(tag)) extra += ' loading="lazy"';
    if (!/\sdecoding=/.test(tag)) extra += ' decoding="async"';
    return extra ? tag.replace(/^<img\b/, `<img${extra}`) : tag;
  });
}

/** Makes in-page links (`href="#fn-1"`) absolute, for HTML read outside the page (feeds). */
export function absoluteFragments(html: string, pageUrl: string): string {
  return html.replace(/(href|src)="#/g, `$1="${pageUrl}#`);
}
