import path from 'node:path';
import type { Element, Root as HastRoot, RootContent } from 'hast';
import GithubSlugger from 'github-slugger';
import { toString } from 'hast-util-to-string';
import { toText } from 'hast-util-to-text';
import type { Root as MdastRoot } from 'mdast';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Plugin, type Processor } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import type { HtmlMode, SiteConfig } from '../config/types.js';
import { remarkGfmAsNeeded } from './gfm.js';
import { encodeTarget, REF_SCHEME } from './refs.js';

/** A relative link or image in a post, resolved against the post's source file. */
export interface Ref {
  /** Site-relative posix path of the target file, or a site URL starting with `/`. */
  target: string;
  kind: 'link' | 'image';
  line: number;
  column: number;
}

/** The Markdown body turned into HTML and text. */
export interface RenderedBody {
  /** Sanitised HTML; site links are `gi-ref:` placeholders until the site's URLs are known. */
  html: string;
  /** Plain text of the body, taken from the tree: trimmed, each run of white space one space. */
  text: string;
  /** Plain text of the first paragraph (the default summary). */
  firstParagraph: string;
  refs: Ref[];
}

const SCHEME_RE = /^[a-z][a-z\d+.-]*:/i;

/** The sanitiser's schema: GitHub's, plus tel: links, our placeholders, and ids kept as written. */
export function sanitizeSchema(): SanitizeSchema {
  return {
    ...defaultSchema,
    protocols: {
      ...defaultSchema.protocols,
      href: [...(defaultSchema.protocols?.href ?? []), 'tel', REF_SCHEME.slice(0, -1)],
      src: [...(defaultSchema.protocols?.src ?? []), REF_SCHEME.slice(0, -1)],
    },
    // Heading and footnote ids stay as written so #fragment links work without JavaScript; only
    // `name`, which can shadow document properties, gets a prefix.
    clobber: ['name'],
    clobberPrefix: 'user-content-',
    attributes: {
      ...defaultSchema.attributes,
      // Table column alignment, as classes: the `align` attribute is obsolete HTML.
      td: [...(defaultSchema.attributes?.td ?? []), ['className', ...ALIGN_CLASSES]],
      th: [...(defaultSchema.attributes?.th ?? []), ['className', ...ALIGN_CLASSES]],
    },
    // Drop the text inside <style> along with the element, as GitHub's schema does for <script>.
    strip: [...(defaultSchema.strip ?? []), 'style'],
  };
}

const ALIGN_CLASSES = ['align-left', 'align-center', 'align-right'];

/**
 * Calls `fn` on every element of a tree, parents before children. A plain loop: unist-util-visit's
 * generic walk (a closure and a renamed function per node) took a tenth of a post's parse time
 * across our three walks.
 */
function eachElement(node: HastRoot | Element, fn: (element: Element) => void): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    fn(child);
    eachElement(child, fn);
  }
}

/** Whether a tree holds raw HTML (a `raw` node, from remark-rehype's `allowDangerousHtml`). */
function hasRaw(node: HastRoot | Element): boolean {
  for (const child of node.children) {
    if ((child.type as string) === 'raw' || (child.type === 'element' && hasRaw(child))) return true;
  }
  return false;
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * Gives each heading without an id one made from its text, GitHub's way (numbered when repeated),
 * as rehype-slug does, in our element loop: rehype-slug's generic tree walk cost ~4 % of a post's
 * parse, its slugs ~0.3 %.
 */
export function rehypeHeadingIds() {
  const slugs = new GithubSlugger();
  return (tree: HastRoot) => {
    slugs.reset();
    eachElement(tree, (node) => {
      if (HEADINGS.has(node.tagName) && !node.properties.id) node.properties.id = slugs.slug(toString(node));
    });
  };
}

/** Turns GFM table alignment (`align="right"`, obsolete in HTML) into a class the theme styles. */
function rehypeTableAlign() {
  return (tree: HastRoot) => {
    eachElement(tree, (node) => {
      if ((node.tagName === 'td' || node.tagName === 'th') && typeof node.properties.align === 'string') {
        node.properties.className = [`align-${node.properties.align}`];
        delete node.properties.align;
      }
    });
  };
}

/**
 * rehype-raw, run only on trees that hold raw HTML. Without any, its round trip through an HTML
 * parser costs about a tenth of a post's parse time and gives back the same page, with
 * `data-footnotes` written without `=""` (the same attribute). One change of the round trip is
 * made here too, so that a post renders the same whether or not it has raw HTML: the parser's rule
 * for a line break right after `<pre>` also takes the one that starts a code block's text.
 */
export function rehypeRawAsNeeded(this: Processor) {
  const raw = rehypeRaw.call(this);
  return (tree: HastRoot, file: VFile) => {
    if (hasRaw(tree)) return raw(tree, file);
    eachElement(tree, (pre) => {
      const code = pre.tagName === 'pre' ? pre.children[0] : undefined;
      const text = code?.type === 'element' && code.tagName === 'code' ? code.children[0] : undefined;
      if (text?.type === 'text' && text.value.startsWith('\n')) text.value = text.value.slice(1);
    });
    return tree;
  };
}

/** Turns raw HTML in Markdown into visible text (`markdown.html: "escape"`). */
function remarkEscapeHtml() {
  return (tree: MdastRoot) => {
    visit(tree, 'html', (node, index, parent) => {
      if (parent && index !== undefined) {
        parent.children[index] = { type: 'text', value: node.value, position: node.position };
      }
    });
  };
}

/**
 * Rewrites relative and root-relative URLs into `gi-ref:` placeholders and records them, so that
 * the site stage can point them at the right output URL (with the base path).
 */
function rehypeSiteRefs() {
  return (tree: HastRoot, file: VFile) => {
    const source = file.path;
    const dir = path.posix.dirname(source);
    const refs: Ref[] = [];
    /** The placeholder for one URL, or the URL itself when it is not a site file or path. */
    const rewrite = (value: string, kind: Ref['kind'], node: Element): string | null => {
      if (value.toLowerCase().startsWith(REF_SCHEME)) return null;
      if (value === '' || value.startsWith('#') || value.startsWith('//') || value.startsWith('?') || SCHEME_RE.test(value)) return value;
      const cut = value.search(/[?#]/);
      const pathPart = cut < 0 ? value : value.slice(0, cut);
      const suffix = cut < 0 ? '' : value.slice(cut);
      let decoded: string;
      try {
        // The file on disk has the decoded name: `c%23.md` is the file `c#.md`.
        decoded = decodeURIComponent(pathPart);
      } catch {
        decoded = pathPart;
      }
      const target = decoded.startsWith('/')
        ? decoded
        : path.posix.normalize(path.posix.join(dir, decoded)).replace(/\/+$/, '') + (decoded.endsWith('/') ? '/' : '');
      const start = node.position?.start;
      refs.push({ target, kind, line: start?.line ?? 1, column: start?.column ?? 1 });
      return REF_SCHEME + encodeTarget(target) + suffix;
    };
    eachElement(tree, (node) => {
      // Ids starting "gi-" belong to the theme (gi-main, gi-search-results): content may not take them.
      if (typeof node.properties.id === 'string' && node.properties.id.startsWith('gi-')) node.properties.id = `user-content-${node.properties.id}`;
      for (const prop of ['href', 'src', 'poster'] as const) {
        const value = node.properties[prop];
        if (typeof value !== 'string') continue;
        const next = rewrite(value, prop === 'href' ? 'link' : 'image', node);
        if (next === null) delete node.properties[prop];
        else node.properties[prop] = next;
      }
      // srcset: "a.png 1x, a@2x.png 2x" — each candidate's URL is rewritten like a src.
      const srcSet = node.properties.srcSet;
      if (srcSet !== undefined && srcSet !== null) {
        const candidates = (Array.isArray(srcSet) ? srcSet.map(String) : String(srcSet).split(',')).map((c) => c.trim()).filter(Boolean);
        const rewritten = candidates.flatMap((candidate) => {
          const [url = '', ...descriptor] = candidate.split(/\s+/);
          const next = rewrite(url, 'image', node);
          return next === null ? [] : [[next, ...descriptor].join(' ')];
        });
        node.properties.srcSet = rewritten.join(', ');
      }
    });
    file.data.refs = refs;
  };
}

declare module 'vfile' {
  interface DataMap {
    refs: Ref[];
  }
}

/** The plugins that add GFM, parse raw HTML and give headings ids: remark-gfm, rehype-raw and rehype-slug do the same, slower. */
export interface MarkdownParts {
  gfm: Plugin<[], MdastRoot>;
  raw: Plugin<[], HastRoot>;
  slug: Plugin<[], HastRoot>;
}

/** Builds the build's one frozen Markdown processor for a given HTML mode and plugin set. */
export function createProcessor(
  config: Pick<SiteConfig, 'markdown' | 'remarkPlugins' | 'rehypePlugins'>,
  parts?: MarkdownParts,
): Processor<MdastRoot, MdastRoot, HastRoot, HastRoot, string> {
  const html: HtmlMode = config.markdown.html;
  // A plugin may make what only rehype-raw's round trip puts right (a <figure> inside a <p>): with
  // plugins, every tree takes it.
  const plugins = config.remarkPlugins.length > 0 || config.rehypePlugins.length > 0;
  const { gfm, raw, slug } = parts ?? { gfm: remarkGfmAsNeeded, raw: plugins ? rehypeRaw : rehypeRawAsNeeded, slug: rehypeHeadingIds };
  const processor = unified()
    .use(remarkParse)
    .use(gfm)
    .use(html === 'escape' ? [remarkEscapeHtml] : [])
    .use(config.remarkPlugins)
    .use(remarkRehype, { allowDangerousHtml: html !== 'escape' })
    .use(html === 'escape' ? [] : [raw])
    .use(slug)
    .use(rehypeTableAlign)
    .use(config.rehypePlugins)
    .use(rehypeSiteRefs)
    // Sanitising is the last transform before stringifying, so no plugin can undo it.
    .use(html === 'allow' ? [] : [[rehypeSanitize, sanitizeSchema()]])
    .use(rehypeStringify);
  return processor.freeze() as unknown as Processor<MdastRoot, MdastRoot, HastRoot, HastRoot, string>;
}

/** Renders one Markdown body; `path` is the site-relative source path, `firstLine` where the body starts. */
export function renderBody(
  processor: Processor<MdastRoot, MdastRoot, HastRoot, HastRoot, string>,
  sourcePath: string,
  body: string,
  firstLine: number,
): RenderedBody {
  const file = new VFile({ path: sourcePath, value: body });
  const tree = processor.runSync(processor.parse(file), file);
  const firstP = tree.children.find((n): n is Element => n.type === 'element' && n.tagName === 'p');
  const refs = (file.data.refs ?? []).map((r) => ({ ...r, line: r.line + firstLine - 1 }));
  return {
    html: processor.stringify(tree, file),
    text: plainText(tree),
    firstParagraph: firstP ? plainText(firstP) : '',
    refs,
  };
}

/** Elements whose text hast-util-to-text sets apart from what is around it (by a line break). */
const TEXT_BLOCKS = new Set(['blockquote', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 'section', 'ul']);
/**
 * The parts of a table. It sets a cell apart (by a tab) only from a next cell, and a row only from
 * a next row, dropping blank text between them: a table's last cell runs on into what follows it.
 * Markdown's tables have blank text around every part, where the runs are set apart anyway; a part
 * without it (raw HTML) goes to hast-util-to-text.
 */
const TABLE_PARTS = new Set(['table', 'tbody', 'td', 'th', 'thead', 'tr']);
/** Elements whose text it runs on into what is around it. */
const TEXT_INLINE = new Set(['a', 'code', 'del', 'em', 'img', 'input', 'strong', 'sup']);
/** Characters it drops or joins lines at (bidirectional controls, the zero-width space). */
const TEXT_SPECIAL = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * A tree's text with all white space as single spaces: hast-util-to-text's rendering of it, with
 * every break and tab made a space. For trees made only of the elements Markdown makes (the usual
 * case), the text is joined here with a space around each block, a tenth of the work; any other
 * tree (raw HTML, comments, hidden elements, the characters it treats apart) goes to it.
 */
export function plainText(node: HastRoot | Element): string {
  const parts: string[] = [];
  const text = collectText(node, parts) ? parts.join('') : toText(node);
  // Only the runs that are not a single space already: replacing every run, most of them one space
  // between two words, took four times as long.
  return text.replace(/\s\s+|[^\S ]/g, ' ').trim();
}

/** Adds a tree's text to `parts`; false when the tree holds something only hast-util-to-text renders right. */
function collectText(node: HastRoot | Element, parts: string[]): boolean {
  const { children } = node;
  for (const [i, child] of children.entries()) {
    if (child.type === 'text') {
      if (TEXT_SPECIAL.test(child.value)) return false;
      parts.push(child.value);
    } else if (child.type === 'element') {
      const tablePart = TABLE_PARTS.has(child.tagName);
      if (tablePart && !(isBlank(children[i - 1]) && isBlank(children[i + 1]))) return false;
      const block = tablePart || TEXT_BLOCKS.has(child.tagName);
      if ((!block && !TEXT_INLINE.has(child.tagName)) || child.properties?.hidden) return false;
      if (block) parts.push(' ');
      if (!collectText(child, parts)) return false;
      if (block) parts.push(' ');
    } else {
      return false;
    }
  }
  return true;
}

/** Whether a sibling is missing or blank text. */
function isBlank(node: RootContent | undefined): boolean {
  return node === undefined || (node.type === 'text' && /^\s*$/.test(node.value));
}
