import fs from 'node:fs/promises';
import path from 'node:path';
import { FILES_AT_ONCE, limiter } from '../util/limit.js';
import { error, sortMessages, type Message } from '../util/messages.js';
import { listTree } from '../util/paths.js';
import { pageLinks, type PageLinks, type Ref } from './html.js';
import { locate } from './locate.js';
import { hasFragment, isFreeFragment, pageUrl, resolveUrl } from './resolve.js';

/** What the checker needs to know besides the output folder. */
export interface CheckOptions {
  /** The base path the site is served under: `/` or `/blog/`. */
  basePath: string;
  /** How the output folder is named in messages, e.g. `dist`. */
  outLabel: string;
  /** The site-relative source file of pages made from one, by output path: messages name it. */
  sources?: ReadonlyMap<string, string>;
  /** The site folder: with it, a message on a source file points at the line that writes the URL. */
  root?: string;
}

/** What a check found. */
export interface CheckResult {
  /** How many HTML pages were checked. */
  pages: number;
  /** One error per broken reference, sorted by file. */
  messages: Message[];
}

const RULES = { link: 'check/broken-link', fragment: 'check/broken-fragment', image: 'check/broken-image' } as const;

/** What is wrong with a reference. */
export interface Problem {
  rule: (typeof RULES)[keyof typeof RULES];
  reason: string;
  hint?: string;
}

/** A broken reference: the page it is in, the reference, and what is wrong with it. */
export interface Finding {
  output: string;
  ref: Ref;
  problem: Problem;
}


function isPage(file: string): boolean {
  return /\.html?$/i.test(file);
}

/**
 * Finds the broken references of a built site's pages: every internal link, image and `srcset`
 * candidate must lead to a file of the output, and every fragment to an element of its page.
 * External URLs are skipped. A URL is reported once per page.
 * @param pages Each page's HTML, by output path (posix, relative to the output folder).
 * @param files Every file of the output, by the same kind of path.
 */
export function findBroken(pages: ReadonlyMap<string, string>, files: ReadonlySet<string>, options: Pick<CheckOptions, 'basePath' | 'outLabel'>): Finding[] {
  const links = new Map<string, PageLinks>();
  for (const [output, html] of pages) links.set(output, pageLinks(html));

  const findings: Finding[] = [];
  for (const [output, page] of links) {
    const reported = new Set<string>();
    const from = pageUrl(output, options.basePath);
    for (const ref of page.refs) {
      if (reported.has(ref.url)) continue;
      const problem = brokenBy(ref, from, files, links, options);
      if (!problem) continue;
      reported.add(ref.url);
      findings.push({ output, ref, problem });
    }
  }
  return findings;
}

/** What is wrong with a reference, or null when it is fine or external. */
function brokenBy(ref: Ref, from: string, files: ReadonlySet<string>, links: ReadonlyMap<string, PageLinks>, options: Pick<CheckOptions, 'basePath' | 'outLabel'>): Problem | null {
  const { basePath } = options;
  const target = resolveUrl(ref.url, from, basePath);
  const rule = ref.kind === 'image' ? RULES.image : RULES.link;
  const what = ref.kind === 'image' ? `broken image ${ref.url}` : `broken link to ${ref.url}`;
  if (target.kind === 'external') return null;
  if (target.kind === 'broken') {
    const hint = target.why.startsWith('it is outside the base path')
      ? `The site is served under ${basePath}: site URLs must start with it. In a template, write {{relUrl "${ref.url}"}}; in a post, link to the .md file or write the URL without the base path.`
      : undefined;
    return { rule, reason: `${what}: ${target.why}`, ...(hint ? { hint } : {}) };
  }
  const file = target.files.find((f) => files.has(f));
  if (!file) {
    // An image is a file: its folder's index.html is no answer worth naming.
    const looked = ref.kind === 'image' ? target.files.slice(0, 1) : target.files;
    return { rule, reason: what, hint: `No file in the output answers it; looked for ${looked.map((f) => `${options.outLabel}/${f}`).join(' and ')}.` };
  }
  if (isFreeFragment(target.fragment) || !isPage(file)) return null;
  const ids = links.get(file)?.ids ?? new Set<string>();
  if (hasFragment(ids, target.fragment!)) return null;
  return {
    rule: RULES.fragment,
    reason: `broken link to ${ref.url}: ${pageUrl(file, basePath) === from ? 'this page' : `${options.outLabel}/${file}`} has no element with id "${target.fragment}"`,
  };
}

/**
 * The message for a broken reference: on the page's source file when there is one (on the line
 * that writes the URL, when its text is given and the URL is found in it), else on the output file.
 */
export function report(finding: Finding, options: CheckOptions, sourceText?: string): Message {
  const { output, ref, problem } = finding;
  const shown = `${options.outLabel}/${output}`;
  const source = options.sources?.get(output);
  if (source) {
    // A post links to `/x/`; under a base path its page says `/blog/x/`.
    const spellings = [ref.url, ...(options.basePath !== '/' && ref.url.startsWith(options.basePath) ? [`/${ref.url.slice(options.basePath.length)}`] : [])];
    const place = sourceText === undefined ? null : locate(sourceText, spellings);
    return error(source, `${problem.reason} (in ${shown})`, problem.rule, place ?? {}, problem.hint);
  }
  const place = ref.line ? { line: ref.line, column: ref.column } : {};
  return error(shown, problem.reason, problem.rule, place, problem.hint);
}

/** Reads files a few at a time; the map keeps the order of `files` and leaves out those that read as null. */
async function readAll(files: readonly string[], read: (file: string) => Promise<string | null>): Promise<Map<string, string>> {
  const run = limiter(FILES_AT_ONCE);
  const texts = await Promise.all(files.map((f) => run(() => read(f))));
  return new Map(files.flatMap((f, i) => (texts[i] === null ? [] : [[f, texts[i]!] as const])));
}

/** Reads a built site from `outDir` and checks its pages (see `findBroken`); prints nothing. */
export async function checkOutput(outDir: string, options: CheckOptions): Promise<CheckResult> {
  const files = (await listTree(outDir)).sort();
  const pages = await readAll(files.filter(isPage), (f) => fs.readFile(path.join(outDir, f), 'utf8'));
  const findings = findBroken(pages, new Set(files), options);
  const root = options.root;
  const sources = [...new Set(findings.flatMap((f) => options.sources?.get(f.output) ?? []))];
  const texts = root ? await readAll(sources, (s) => fs.readFile(path.join(root, s), 'utf8').catch(() => null)) : new Map<string, string>();
  const messages = findings.map((f) => {
    const source = options.sources?.get(f.output);
    return report(f, options, source ? texts.get(source) : undefined);
  });
  return { pages: pages.size, messages: sortMessages(messages) };
}
