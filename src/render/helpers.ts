import type { HelperDelegate, HelperOptions } from 'handlebars';
import type { SiteConfig } from '../config/types.js';
import { formatDay } from '../util/dates.js';
import { absoluteUrl, withBase } from '../site/urls.js';

/** Handlebars calls helpers with its options object last; these helpers ignore it. */
function args(list: unknown[]): unknown[] {
  const last = list.at(-1) as HelperOptions | undefined;
  return last && typeof last === 'object' && 'hash' in last ? list.slice(0, -1) : list;
}

/**
 * A view as templates see it, as plain data: views stand in JSON as the keys pages are compared
 * by (their own `toJSON`), which a template writing a view as JSON does not want.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.keys(value).map((k) => [k, plain((value as Record<string, unknown>)[k])]));
}

/** The built-in helpers; a JS config's helpers are added over them. */
export function builtinHelpers(config: Readonly<SiteConfig>): Record<string, HelperDelegate> {
  return {
    /** `{{relUrl "/about/"}}`: a site path with the base path in front; other URLs unchanged. */
    relUrl: (...a: unknown[]) => {
      const [u] = args(a);
      const s = String(u ?? '/');
      return s.startsWith('/') && !s.startsWith('//') ? withBase(config.basePath, s) : s;
    },
    /** `{{absUrl "/feed.xml"}}`: origin, base path and path. */
    absUrl: (...a: unknown[]) => absoluteUrl(config.baseUrl, config.basePath, String(args(a)[0] ?? '/')),
    /** `{{formatDate post.date "MMMM YYYY"}}`: a date view or `YYYY-MM-DD` in another format. */
    formatDate: (...a: unknown[]) => {
      const [value, pattern] = args(a);
      const day = typeof value === 'string' ? value.slice(0, 10) : (value as { day?: string } | null)?.day;
      if (!day) return '';
      return formatDay(day, typeof pattern === 'string' ? pattern : config.dateFormat, config.language);
    },
    eq: (...a: unknown[]) => {
      const [x, y] = args(a);
      return x === y;
    },
    gt: (...a: unknown[]) => {
      const [x, y] = args(a);
      return Number(x) > Number(y);
    },
    /** `{{join names ", " " and "}}`: a list as text, with an optional last separator. */
    join: (...a: unknown[]) => {
      const [list, sep = ', ', lastSep] = args(a) as [unknown, string?, string?];
      const items = Array.isArray(list) ? list.map((x) => (x && typeof x === 'object' && 'text' in x ? String((x as { text: unknown }).text) : String(x))) : [];
      if (typeof lastSep === 'string' && items.length > 1) return `${items.slice(0, -1).join(sep)}${lastSep}${items.at(-1)}`;
      return items.join(sep);
    },
    /** `{{plural n "minute" "minutes"}}`. */
    plural: (...a: unknown[]) => {
      const [n, one, many] = args(a);
      return Number(n) === 1 ? String(one) : String(many ?? `${String(one)}s`);
    },
    /** `{{json value}}`: JSON safe to put inside a `<script>` element. */
    json: (...a: unknown[]) => JSON.stringify(plain(args(a)[0] ?? null)).replace(/</g, '\\u003c'),
  };
}
