import path from 'node:path';
import type { SiteConfig } from '../config/types.js';
import type { Post } from '../content/post.js';
import { error, warning, type Message } from '../util/messages.js';
import type { Collections, Group } from './collections.js';
import { isWindowsReserved } from './slug.js';
import { fillPermalink, outputPath, paginationUrl, siteUrls } from './urls.js';

/** The kinds of page a site has; each has a layout of the same name by default. */
export type PageKind = 'post' | 'page' | 'home' | 'tags' | 'tag' | 'series' | 'author' | 'archive' | 'search' | 'notFound';

/** One HTML page the site will have. */
export interface PlannedPage {
  kind: PageKind;
  url: string;
  output: string;
  layout: string;
  /** What asked for this page, for messages: a source path, or a description of a built-in page. */
  origin: string;
  post?: Post;
  group?: Group;
  /** For paginated listings: the posts on this page, its number and the page count. */
  posts?: Post[];
  pageNumber?: number;
  pageCount?: number;
}

/** A file copied as-is into the output. */
export interface CopiedFile {
  /** Site-relative source path. */
  source: string;
  output: string;
}

/** Everything about the site's shape, decided before anything is rendered. */
export interface SitePlan {
  pages: PlannedPage[];
  /** Post and page URLs by source path. */
  urls: Map<string, string>;
  /** Site URL each `gi-ref:` target stands for. */
  refUrls: Map<string, string>;
  /** Lead image URL by post source path. */
  imageUrls: Map<string, string>;
  copies: CopiedFile[];
  messages: Message[];
}

/** The source inputs the plan needs besides the posts. */
export interface PlanInputs {
  /** Site-relative paths of non-Markdown files under posts/ and pages/. */
  assets: Set<string>;
  /** Site-relative paths of files under static/. */
  statics: string[];
  /** Output paths that theme assets and generated files will occupy (`assets/style.css`). */
  reserved: string[];
}

/** Every page of a paginated listing. */
function paginate(kind: PageKind, first: string, posts: Post[], perPage: number, origin: string, group?: Group): PlannedPage[] {
  const pageCount = Math.max(1, Math.ceil(posts.length / perPage));
  return Array.from({ length: pageCount }, (_, i) => {
    const url = paginationUrl(first, i + 1);
    return {
      kind,
      url,
      output: outputPath(url),
      layout: kind,
      origin,
      posts: posts.slice(i * perPage, (i + 1) * perPage),
      pageNumber: i + 1,
      pageCount,
      ...(group ? { group } : {}),
    };
  });
}

/** Plans every page, copy and link of the site, and reports collisions and broken links. */
export function planSite(c: Collections, config: Pick<SiteConfig, 'permalink' | 'postsPerPage'>, inputs: PlanInputs): SitePlan {
  const messages: Message[] = [];
  const pages: PlannedPage[] = [];
  const urls = new Map<string, string>();

  for (const post of c.posts) {
    const url = fillPermalink(config.permalink, post.slug, post.date?.day ?? null);
    urls.set(post.source, url);
    pages.push({ kind: 'post', url, output: outputPath(url), layout: post.layout, origin: post.source, post });
  }
  for (const page of c.pages) {
    const url = siteUrls.page(page.slug);
    urls.set(page.source, url);
    pages.push({ kind: 'page', url, output: outputPath(url), layout: page.layout, origin: page.source, post: page });
  }
  for (const post of [...c.posts, ...c.pages]) {
    if (isWindowsReserved(post.slug)) messages.push(reservedSlug(post, urls.get(post.source)!));
  }
  pages.push(...paginate('home', siteUrls.home, c.posts, config.postsPerPage, 'the home page'));
  pages.push({ kind: 'tags', url: siteUrls.tags, output: outputPath(siteUrls.tags), layout: 'tags', origin: 'the tags index' });
  for (const tag of c.tags) {
    pages.push(...paginate('tag', siteUrls.tag(tag.slug), tag.posts, config.postsPerPage, `the page of tag "${tag.name}"`, tag));
  }
  for (const s of c.series) {
    const url = siteUrls.series(s.slug);
    pages.push({ kind: 'series', url, output: outputPath(url), layout: 'series', origin: `the page of series "${s.name}"`, group: s, posts: s.posts });
  }
  for (const a of c.authors) {
    pages.push(...paginate('author', siteUrls.author(a.slug), a.posts, config.postsPerPage, `the page of author "${a.name}"`, a));
  }
  pages.push({ kind: 'archive', url: siteUrls.archive, output: outputPath(siteUrls.archive), layout: 'archive', origin: 'the archive page' });
  pages.push({ kind: 'search', url: siteUrls.search, output: outputPath(siteUrls.search), layout: 'search', origin: 'the search page' });
  pages.push({ kind: 'notFound', url: siteUrls.notFound, output: outputPath(siteUrls.notFound), layout: '404', origin: 'the 404 page' });

  for (const clash of c.clashes) {
    messages.push(
      warning(clash.source, `the ${clash.kind} "${clash.name}" gets the same page as "${clash.other}" (${clash.kind === 'tag' ? siteUrls.tag(clash.slug) : clash.kind === 'series' ? siteUrls.series(clash.slug) : siteUrls.author(clash.slug)})`, 'content/name-clash', {}, 'Both names make the same URL; rename one if they are meant to be different.'),
    );
  }
  const refs = resolveRefs(c, urls, inputs, messages);
  checkCollisions(pages, refs.copies, inputs, messages);
  return { pages, urls, refUrls: refs.refUrls, imageUrls: refs.imageUrls, copies: refs.copies, messages };
}

/** A warning that a post's slug is a device name Windows reserves (`con`, `aux`, `lpt1`). */
function reservedSlug(post: Post, url: string): Message {
  const example = `slug: ${post.slug}-${post.kind}`;
  let hint = post.data.slug !== undefined ? `Choose another slug in the front matter, e.g. ${example}.` : `Give it another slug in its front matter, e.g. ${example}.`;
  // `posts/con.md` and `posts/con/index.md` are refused too; `posts/2024-03-01-con.md` is not.
  const segments = post.source.split('/');
  const refused = segments.findIndex(isWindowsReserved);
  if (refused >= 0) hint += ` Rename ${segments.slice(0, refused + 1).join('/')} as well: Windows refuses that name too.`;
  return warning(
    post.source,
    `the slug "${post.slug}" is a name Windows reserves for a device, so the folder for ${url} cannot be created or checked out on Windows`,
    'output/windows-reserved-name',
    {},
    hint,
  );
}

/** Works out where each relative link and image points, and which files must be copied. */
function resolveRefs(c: Collections, urls: Map<string, string>, inputs: PlanInputs, messages: Message[]) {
  const refUrls = new Map<string, string>();
  const imageUrls = new Map<string, string>();
  const copies = new Map<string, CopiedFile>();
  const bundles = new Map<string, string>();
  for (const post of [...c.posts, ...c.pages]) {
    if (post.bundle) bundles.set(post.bundle, urls.get(post.source)!);
  }
  const statics = new Set(inputs.statics);

  /** URL of a file inside a folder post: beside the post's page. */
  const bundleUrlOf = (target: string): string | null => {
    for (let dir = path.posix.dirname(target); dir.includes('/'); dir = path.posix.dirname(dir)) {
      const bundleUrl = bundles.get(dir);
      if (bundleUrl) return bundleUrl + target.slice(dir.length + 1);
    }
    return null;
  };

  /** URL of a non-Markdown file, copying it into the output when it is ours to copy. */
  const fileUrl = (target: string): string | null => {
    if (statics.has(target)) return `/${target.slice('static/'.length)}`;
    if (!inputs.assets.has(target)) return null;
    const inBundle = bundleUrlOf(target);
    if (inBundle) return inBundle;
    copies.set(target, { source: target, output: target });
    return `/${target}`;
  };

  // Every file in a folder post is published beside the post's page; other files only when referred to.
  for (const asset of inputs.assets) {
    // Markdown beside a folder post's index.md is its working material (notes, drafts), never published raw.
    if (/\.(md|markdown)$/i.test(asset)) continue;
    const url = bundleUrlOf(asset);
    if (url) copies.set(asset, { source: asset, output: outputPath(url) });
  }

  for (const post of [...c.posts, ...c.pages]) {
    for (const ref of post.refs) {
      if (refUrls.has(ref.target)) continue;
      const place = { line: ref.line, column: ref.column };
      if (ref.target.startsWith('/')) {
        refUrls.set(ref.target, ref.target);
        continue;
      }
      const bare = ref.target.replace(/\/$/, '');
      const postUrl = urls.get(ref.target) ?? bundles.get(bare);
      if (postUrl) {
        refUrls.set(ref.target, postUrl);
        continue;
      }
      if (/\.(md|markdown)$/i.test(ref.target)) {
        if (c.unpublished.has(ref.target)) {
          messages.push(warning(post.source, `links to ${ref.target}, which is a draft or future post and is not published in this build`, 'link/unpublished', place));
        } else {
          messages.push(warning(post.source, `links to ${ref.target}, but there is no such post or page`, 'link/missing-post', place, 'Link to the Markdown file of the post, relative to this file, e.g. [text](2024-03-01-other-post.md).'));
        }
        refUrls.set(ref.target, `/${ref.target}`);
        continue;
      }
      const url = fileUrl(ref.target);
      if (url) {
        refUrls.set(ref.target, url);
      } else if (!bundles.has(bare) && !ref.target.startsWith('..')) {
        const what = ref.kind === 'image' ? 'an image' : 'a file';
        messages.push(warning(post.source, `refers to ${what} that does not exist: ${ref.target}`, ref.kind === 'image' ? 'image/missing' : 'link/missing-file', place));
        refUrls.set(ref.target, `/${ref.target}`);
      } else {
        messages.push(warning(post.source, `refers to ${ref.target}, which is outside the site folder`, 'link/outside', place));
        refUrls.set(ref.target, '/');
      }
    }
    if (post.image) {
      const url = fileUrl(post.image.target);
      if (url) imageUrls.set(post.source, url);
      else messages.push(error(post.source, `the lead image ${post.image.target} does not exist`, 'frontmatter/image', { line: post.image.line, column: 1 }, 'The path is relative to the post file; for a folder post, put the image beside index.md.'));
    }
  }
  return { refUrls, imageUrls, copies: [...copies.values()] };
}

/** Two things that would write the same file (also differing only in letter case) are an error naming both. */
function checkCollisions(pages: PlannedPage[], copies: CopiedFile[], inputs: PlanInputs, messages: Message[]): void {
  const seen = new Map<string, string>();
  const files = new Map<string, string>();
  const claim = (output: string, origin: string, file: string) => {
    const key = output.normalize('NFC').toLowerCase();
    const previous = seen.get(key);
    if (previous === undefined) {
      seen.set(key, origin);
      files.set(key, file);
    } else if (previous !== origin) {
      // The message goes on a file of the site's when either side is one (a built-in page is not).
      messages.push(error(file || files.get(key) || '', `${origin} and ${previous} would both be written to ${output}`, 'output/collision', {}, 'Give one of them another slug (slug: … in its front matter) or rename the file.'));
    }
  };
  for (const page of pages) claim(page.output, page.origin, page.post?.source ?? '');
  for (const copy of copies) claim(copy.output, copy.source, copy.source);
  for (const output of inputs.reserved) claim(output, `gi-build's own ${output}`, '');
  for (const url of [siteUrls.atom, siteUrls.rss, siteUrls.jsonFeed, siteUrls.sitemap]) claim(outputPath(url), `the generated ${outputPath(url)}`, '');
  for (const file of inputs.statics) {
    const output = file.slice('static/'.length);
    if (output === 'robots.txt') continue;
    claim(output, file, file);
  }
  // A file where another output needs a folder (static/tags beside tags/index.html) cannot be written either.
  const folders = new Map<string, string>();
  for (const [key, origin] of seen) {
    for (let dir = path.posix.dirname(key); dir !== '.'; dir = path.posix.dirname(dir)) {
      if (!folders.has(dir)) folders.set(dir, origin);
    }
  }
  for (const [key, origin] of seen) {
    const needs = folders.get(key);
    if (needs) {
      const file = origin.startsWith('static/') || origin.startsWith('posts/') || origin.startsWith('pages/') ? origin : '';
      messages.push(error(file, `${origin} would be written as the file ${key}, where ${needs} needs a folder`, 'output/collision', {}, 'Rename or move one of them.'));
    }
  }
}
