import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULTS } from '../config/defaults.js';
import type { Limits, SiteConfig } from '../config/types.js';
import type { SiteDate } from '../util/dates.js';
import { hash } from '../util/hash.js';
import { error, hasErrors, type Message, type Place } from '../util/messages.js';
import { slugFromFileName, slugify } from '../site/slug.js';
import { decodeUtf8 } from './decode.js';
import { measureNesting } from './depth.js';
import type { SourceFile } from './discover.js';
import { parseFrontMatter } from './frontmatter.js';
import type { Ref, RenderedBody } from './markdown.js';
import { cleanData, validateMeta } from './validate.js';

/** A lead image as a post declares it. */
export interface LeadImage {
  /** Site-relative path of the image file. */
  target: string;
  alt: string;
  caption: string | null;
  credit: string | null;
  line: number;
}

/** One parsed post or standalone page: everything later stages need, and nothing of templates. */
export interface Post {
  kind: 'post' | 'page';
  /** Site-relative source path. */
  source: string;
  /** Site-relative folder of a folder post, whose other files are copied beside its page. */
  bundle: string | null;
  title: string;
  date: SiteDate | null;
  updated: SiteDate | null;
  authors: string[];
  authorRole: string | null;
  guest: boolean;
  series: string | null;
  tags: string[];
  /** Front matter summary, or the first paragraph's text. */
  summary: string;
  image: LeadImage | null;
  slug: string;
  draft: boolean;
  layout: string;
  /** Where the front matter names the layout, for messages about it (null: the default layout). */
  layoutLine: number | null;
  /** The whole front matter, unknown keys included, without control characters, for templates. */
  data: Record<string, unknown>;
  html: string;
  /** Hash of `html`, so later stages can tell whether it changed without reading it all. */
  htmlHash: string;
  text: string;
  /** Hash of `text`. */
  textHash: string;
  wordCount: number;
  readingMinutes: number;
  refs: Ref[];
}

/** What parsing one source gives: a post (unless it had errors) and its messages. */
export interface ParseResult {
  post: Post | null;
  messages: Message[];
}

const WORDS_PER_MINUTE = 220;

/**
 * The words of a body's text, which comes trimmed with its white space as single spaces (see
 * `RenderedBody`): one more than its spaces. Splitting it made an array of every word, a fifth as fast.
 */
function countWords(text: string): number {
  if (!text) return 0;
  let words = 1;
  for (let at = text.indexOf(' '); at !== -1; at = text.indexOf(' ', at + 1)) words++;
  return words;
}

/** What parsing needs of the config: the time zone, and the limits and whether there are plugins where known. */
export type ParseConfig = Pick<SiteConfig, 'timeZone'> & { limits?: Limits; plugins?: boolean };

function tooDeep(file: string, place: Place, reason: string): Message {
  return error(file, reason, 'markdown/too-deep', place, 'Flatten the lists or quotes; if the post really needs this depth, raise "limits": { "nesting": … } in the config.');
}

/**
 * A body that failed to render, as a message on the post. The Markdown pipeline itself throws only
 * when it runs out of stack (a body nested deeper than the scan saw); anything else comes from a
 * plugin of the config.
 */
function renderFailure(file: string, err: unknown, place: Place, plugins: boolean): Message {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return tooDeep(file, place, 'the Markdown of this post is nested too deeply to render (the parser ran out of stack)');
  }
  const reason = err instanceof Error ? err.message : String(err);
  if (plugins) return error(file, `a Markdown plugin failed on this file: ${reason}`, 'markdown/plugin', place, 'Check the remarkPlugins and rehypePlugins of your config.');
  return error(file, `the Markdown of this post could not be rendered: ${reason}`, 'markdown/render', place, 'This is likely a bug in gi-build: please report it with the post attached.');
}

/** Reads and parses one source file into a Post. */
export async function parseSource(
  source: SourceFile,
  config: ParseConfig,
  render: (sourcePath: string, body: string, firstLine: number) => RenderedBody,
): Promise<ParseResult> {
  const bytes = await fs.readFile(source.absolute);
  return parseText(source, bytes, config, render);
}

/** Parses a source's bytes (separate from reading, so it can be tested without files). */
export function parseText(
  source: Pick<SourceFile, 'kind' | 'path' | 'bundle'>,
  bytes: Uint8Array,
  config: ParseConfig,
  render: (sourcePath: string, body: string, firstLine: number) => RenderedBody,
): ParseResult {
  const file = source.path;
  const limits = config.limits ?? DEFAULTS.limits;
  const decoded = decodeUtf8(file, bytes);
  if ('message' in decoded) return { post: null, messages: [decoded.message] };
  const fm = parseFrontMatter(file, decoded.text, { maxBytes: limits.frontMatterBytes });
  if ('messages' in fm) return { post: null, messages: fm.messages };
  const { meta, messages } = validateMeta(file, source.kind, fm.value, config.timeZone);
  if (!meta || hasErrors(messages)) return { post: null, messages };

  const baseName = source.bundle ? path.posix.basename(source.bundle) : path.posix.basename(file);
  const slug = meta.slug !== null ? slugify(meta.slug) : slugFromFileName(baseName);
  if (!slug) {
    messages.push(error(file, 'no URL slug can be made from this name', 'frontmatter/slug', fm.value.places.slug ?? { line: 1, column: 1 }, 'Add a slug of letters and digits, e.g. slug: my-post'));
    return { post: null, messages };
  }

  const nesting = measureNesting(fm.value.body);
  if (nesting.depth > limits.nesting) {
    messages.push(tooDeep(file, { line: fm.value.bodyLine + nesting.line, column: 1 }, `lists and block quotes are nested ${nesting.depth} levels deep here, more than the limit of ${limits.nesting}`));
    return { post: null, messages };
  }

  let body: RenderedBody;
  try {
    body = render(file, fm.value.body, fm.value.bodyLine);
  } catch (err) {
    messages.push(renderFailure(file, err, { line: fm.value.bodyLine, column: 1 }, config.plugins ?? false));
    return { post: null, messages };
  }
  const wordCount = countWords(body.text);
  const dir = path.posix.dirname(file);
  const image = meta.image
    ? {
        target: path.posix.normalize(path.posix.join(dir, meta.image)),
        alt: meta.imageAlt ?? '',
        caption: meta.imageCaption,
        credit: meta.imageCredit,
        line: fm.value.places.image?.line ?? 1,
      }
    : null;

  return {
    post: {
      kind: source.kind,
      source: file,
      bundle: source.bundle,
      title: meta.title,
      date: meta.date,
      updated: meta.updated,
      authors: meta.authors,
      authorRole: meta.authorRole,
      guest: meta.guest,
      series: meta.series,
      tags: meta.tags,
      summary: meta.summary ?? body.firstParagraph,
      image,
      slug,
      draft: meta.draft,
      layout: meta.layout ?? source.kind,
      layoutLine: meta.layout !== null ? (fm.value.places.layout?.line ?? null) : null,
      // Unknown keys are not validated: at least nothing invisible reaches the page (see `validateMeta`).
      data: cleanData(fm.value.data),
      html: body.html,
      htmlHash: hash(body.html),
      text: body.text,
      textHash: hash(body.text),
      wordCount,
      readingMinutes: Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE)),
      refs: body.refs,
    },
    messages,
  };
}
