import { isWindowsReserved, slugify } from '../site/slug.js';
import { siteUrls } from '../site/urls.js';
import { parseSiteDate, type SiteDate } from '../util/dates.js';
import { codePoint, error, warning, type Message, type Place } from '../util/messages.js';
import { suggest } from '../util/suggest.js';
import type { FrontMatter } from './frontmatter.js';

/** The front matter keys gi-build itself understands. */
export const KNOWN_KEYS = [
  'title', 'date', 'author', 'authorRole', 'guest', 'series', 'tags', 'summary', 'image', 'imageAlt',
  'imageCaption', 'imageCredit', 'slug', 'draft', 'updated', 'layout',
] as const;

/** Validated front matter of a post or page. */
export interface Meta {
  title: string;
  date: SiteDate | null;
  updated: SiteDate | null;
  authors: string[];
  authorRole: string | null;
  guest: boolean;
  series: string | null;
  tags: string[];
  summary: string | null;
  image: string | null;
  imageAlt: string | null;
  imageCaption: string | null;
  imageCredit: string | null;
  slug: string | null;
  draft: boolean;
  layout: string | null;
}

/** Checks front matter against the contract; every problem becomes a positioned message. */
export function validateMeta(
  file: string,
  kind: 'post' | 'page',
  fm: FrontMatter,
  timeZone: string,
): { meta: Meta | null; messages: Message[] } {
  const messages: Message[] = [];
  const { data, places } = fm;
  const at = (key: string): Place => places[key] ?? { line: 1, column: 1 };
  const bad = (key: string, reason: string, hint?: string): null => {
    messages.push(error(file, reason, `frontmatter/${key}`, at(key), hint));
    return null;
  };

  /**
   * A string as the site may show it. Control characters are removed with a warning from text
   * readers see; in a value that picks a URL, a file, a layout or a date they are an error, as a
   * guess could publish the wrong thing. Tabs and line breaks stay in prose; in a one-line value
   * they are white space, which a page shows as a space anyway.
   */
  const clean = (key: string, value: string, item?: number): string | null => {
    const found = controlsIn(value);
    if (found.length > 0) {
      const what = `"${key}"${item === undefined ? '' : ` item ${item}`} contains ${nameControls(found)}`;
      const exact = EXACT[key];
      if (exact) {
        messages.push(error(file, `${what}, so gi-build cannot tell which ${exact} was meant`, 'frontmatter/control-character', at(key), controlHint(found)));
        return null;
      }
      messages.push(warning(file, `${what}, which ${found.length === 1 ? 'was' : 'were'} removed`, 'frontmatter/control-character', at(key), controlHint(found)));
      value = value.replace(CONTROLS, '');
    }
    return PROSE.has(key) || EXACT[key] ? value : value.replace(/\s*[\t\n]\s*/g, ' ');
  };
  const text = (key: string): string | null => {
    const v = data[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'string') {
      const cleaned = clean(key, v.trim());
      return cleaned === null || cleaned.trim() === '' ? null : cleaned.trim();
    }
    if (typeof v === 'number') return String(v);
    return bad(key, `"${key}" must be text, not ${describe(v)}`);
  };
  const flag = (key: string): boolean => {
    const v = data[key];
    if (v === undefined || v === null) return false;
    if (typeof v === 'boolean') return v;
    bad(key, `"${key}" must be true or false, not ${describe(v)}`);
    return false;
  };
  /** A list, or one string: split on commas for tags, kept whole for names ("Smith, Jane"). */
  const list = (key: string, splitCommas: boolean): string[] => {
    const v = data[key];
    if (v === undefined || v === null || v === '') return [];
    let items: string[];
    if (typeof v === 'string') {
      items = splitCommas ? v.split(',') : [v];
    } else if (Array.isArray(v)) {
      const wrong = v.findIndex((x) => typeof x !== 'string' && typeof x !== 'number');
      if (wrong >= 0) {
        bad(key, `"${key}" must be a list of names, but item ${wrong + 1} is ${describe(v[wrong])}`, `Write each name as text, e.g. ${key}: [${splitCommas ? 'travel, food' : 'Ann Lee, Bo Chen'}]; quote a name that holds brackets, braces or ": ".`);
        return [];
      }
      items = v.map(String);
    } else {
      bad(key, `"${key}" must be ${splitCommas ? 'a list of names or a comma-separated string' : 'a name or a list of names'}, not ${describe(v)}`);
      return [];
    }
    return items.map((s, i) => (clean(key, s.trim(), items.length > 1 ? i + 1 : undefined) ?? '').trim()).filter(Boolean);
  };
  /**
   * Whether a tag, series or author name makes a URL that works everywhere; warns when it makes
   * none (`!!!`) or one Windows cannot store (`con`).
   */
  const linkable = (key: string, kind: keyof typeof GROUPS, name: string): boolean => {
    const group = GROUPS[kind];
    const slug = slugify(name);
    if (!slug) {
      messages.push(warning(file, `the ${kind} "${name}" has no letters or digits to make a URL from, so ${group.unlinked}`, 'frontmatter/empty-slug', at(key), `Give the ${kind} a name with at least one letter or digit${kind === 'author' ? '' : ', or remove it'}.`));
      return false;
    }
    if (isWindowsReserved(slug)) {
      messages.push(warning(file, `the ${kind} "${name}" gets the URL ${group.url(slug)}, but Windows reserves the name "${slug}" for a device, so that folder cannot be created or checked out on Windows`, 'output/windows-reserved-name', at(key), group.rename(name)));
    }
    return true;
  };
  const date = (key: string): SiteDate | null => {
    const v = data[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') return bad(key, `"${key}" must be a date such as 2024-03-01, not ${describe(v)}`);
    if (clean(key, v) === null) return null;
    const parsed = parseSiteDate(v, timeZone);
    return typeof parsed === 'string' ? bad(key, `"${key}": ${parsed}`) : parsed;
  };

  const title = text('title');
  if (title === null && (data.title === undefined || data.title === null)) {
    messages.push(error(file, 'the front matter has no "title"', 'frontmatter/title', { line: 1, column: 1 }, 'Add a line such as: title: My post'));
  } else if (title === null && typeof data.title === 'string') {
    bad('title', '"title" is empty');
  }

  const postDate = date('date');
  if (kind === 'post' && (data.date === undefined || data.date === null || data.date === '')) {
    messages.push(error(file, 'the front matter has no "date"', 'frontmatter/date', { line: 1, column: 1 }, 'Add a line such as: date: 2024-03-01'));
  }

  const layout = text('layout');
  if (layout !== null && !/^[\w-]+$/.test(layout)) bad('layout', `"layout" must be a layout name such as "post" or "wide", not "${layout}"`);

  const authors = list('author', false);
  for (const name of authors) linkable('author', 'author', name);
  const series = text('series');
  if (series !== null) linkable('series', 'series', series);

  const meta: Meta = {
    title: title ?? '',
    date: postDate,
    updated: date('updated'),
    authors,
    authorRole: text('authorRole'),
    guest: flag('guest'),
    series,
    // A tag without a URL has no page to list its posts: it is no tag.
    tags: list('tags', true).filter((name) => linkable('tags', 'tag', name)),
    summary: text('summary'),
    image: text('image'),
    imageAlt: text('imageAlt'),
    imageCaption: text('imageCaption'),
    imageCredit: text('imageCredit'),
    slug: text('slug'),
    draft: flag('draft'),
    layout,
  };

  if (meta.image && !meta.imageAlt && data.imageAlt !== '') {
    messages.push(warning(file, 'the lead image has no "imageAlt" text', 'frontmatter/imageAlt', at('image'), 'Describe the photo for people who cannot see it; write imageAlt: "" only if it is purely decorative.'));
  }

  const known: readonly string[] = KNOWN_KEYS;
  for (const key of Object.keys(data)) {
    if (known.includes(key)) continue;
    // Templates may show any key; they get it cleaned (see `cleanData`).
    const found = controlsIn(data[key]);
    if (found.length > 0) {
      messages.push(warning(file, `"${key}" contains ${nameControls(found)}, which ${found.length === 1 ? 'was' : 'were'} removed from what templates get`, 'frontmatter/control-character', at(key), controlHint(found)));
    }
    const guess = suggest(key, KNOWN_KEYS);
    if (guess && data[guess] === undefined) {
      messages.push(warning(file, `unknown key "${key}": did you mean "${guess}"?`, 'frontmatter/unknown-key', at(key)));
    }
  }

  const failed = messages.some((m) => m.severity === 'error');
  return { meta: failed ? null : meta, messages };
}

/** For each kind of named group: its page, what becomes of a name without a URL, and how to rename one. */
const GROUPS = {
  tag: { url: siteUrls.tag, unlinked: 'it was left out', rename: (name: string) => `Rename the tag so that it makes another URL, e.g. "${name} tag".` },
  series: { url: siteUrls.series, unlinked: 'its posts get no series page and no links to each other', rename: (name: string) => `Rename the series so that it makes another URL, e.g. "${name} series".` },
  author: { url: siteUrls.author, unlinked: 'the name is shown without a link to an author page', rename: () => "Write the author's name in full (e.g. first and last name), so that it makes another URL." },
};

/** C0 controls but tab and line feed, DEL, and C1 controls: invisible, and never meant in front matter. */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** `an invisible control character (U+0000)`, or several. */
function nameControls(found: string[]): string {
  return `${found.length === 1 ? 'an invisible control character' : 'invisible control characters'} (${found.join(', ')})`;
}

/** What to do about control characters: they are in the file still. */
function controlHint(found: string[]): string {
  const them = found.length === 1 ? 'it' : 'them';
  return `Delete ${them} from the front matter: an editor that shows invisible characters will reveal where (they often come with text copied from a PDF or another program).`;
}

/** Values a control character makes unreadable, with what they pick; the others are text and get cleaned. */
const EXACT: Record<string, string> = { slug: 'URL', image: 'file', layout: 'layout', date: 'date', updated: 'date' };

/** Text that may run over several lines, keeping its tabs and line breaks. */
const PROSE = new Set(['summary', 'imageAlt', 'imageCaption']);

/** The distinct control characters in a value's strings, at any depth, as `U+0000`. */
function controlsIn(value: unknown, found = new Set<string>()): string[] {
  if (typeof value === 'string') {
    for (const [ch] of value.matchAll(CONTROLS)) found.add(codePoint(ch));
  } else if (Array.isArray(value)) {
    for (const item of value) controlsIn(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) controlsIn(item, found);
  }
  return [...found];
}

/** A post's front matter as templates may show it: control characters removed from every string. */
export function cleanData<T>(value: T): T {
  if (typeof value === 'string') return value.replace(CONTROLS, '') as T;
  if (Array.isArray(value)) return value.map(cleanData) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanData(v)])) as T;
  }
  return value;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'empty';
  if (typeof v === 'object') return 'a group of keys';
  return `${typeof v} ${JSON.stringify(v)}`;
}
