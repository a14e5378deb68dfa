import { parseSiteDate, type SiteDate } from '../util/dates.js';
import { error, warning, type Message, type Place } from '../util/messages.js';
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

  const text = (key: string): string | null => {
    const v = data[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
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
    if (typeof v === 'string') return (splitCommas ? v.split(',') : [v]).map((s) => s.trim()).filter(Boolean);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
      return v.map((x) => String(x).trim()).filter(Boolean);
    }
    bad(key, `"${key}" must be a list of names or a comma-separated string, not ${describe(v)}`);
    return [];
  };
  const date = (key: string): SiteDate | null => {
    const v = data[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') return bad(key, `"${key}" must be a date such as 2024-03-01, not ${describe(v)}`);
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

  const meta: Meta = {
    title: title ?? '',
    date: postDate,
    updated: date('updated'),
    authors: list('author', false),
    authorRole: text('authorRole'),
    guest: flag('guest'),
    series: text('series'),
    tags: list('tags', true),
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
    const guess = suggest(key, KNOWN_KEYS);
    if (guess && data[guess] === undefined) {
      messages.push(warning(file, `unknown key "${key}": did you mean "${guess}"?`, 'frontmatter/unknown-key', at(key)));
    }
  }

  const failed = messages.some((m) => m.severity === 'error');
  return { meta: failed ? null : meta, messages };
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'empty';
  if (typeof v === 'object') return 'a group of keys';
  return `${typeof v} ${JSON.stringify(v)}`;
}
