import fs from 'node:fs';
import path from 'node:path';
import { isValidTimeZone } from '../util/dates.js';
import { codePoint, isPermissionDenied, UsageError } from '../util/messages.js';
import { isInside, realPathSync } from '../util/paths.js';
import { suggest } from '../util/suggest.js';
import { DEFAULTS, DEFAULT_OUT } from './defaults.js';
import { loadConfigFile, type RawConfig } from './load.js';
import type { CliFlags, HtmlMode, Limits, LinkConfig, SiteConfig } from './types.js';

const KNOWN_KEYS = [
  'title', 'description', 'baseUrl', 'basePath', 'language', 'timeZone', 'dateFormat', 'copyright',
  'nav', 'footerLinks', 'postsPerPage', 'permalink', 'markdown', 'outDir', 'drafts', 'future',
  'remarkPlugins', 'rehypePlugins', 'helpers', 'params', 'limits', '$schema',
];

/** Reads a typed value from the raw config, naming the key when it has the wrong type. */
class Reader {
  constructor(
    private readonly file: string,
    private readonly data: Record<string, unknown>,
  ) {}

  fail(key: string, expected: string): never {
    throw new UsageError(`${this.file}: "${key}" must be ${expected}, but is ${JSON.stringify(this.data[key])}`);
  }

  string(key: string, fallback: string): string {
    const v = this.data[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string') this.fail(key, 'a string');
    return v;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.data[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(key, 'true or false');
    return v;
  }

  positiveInteger(key: string, fallback: number): number {
    const v = this.data[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) this.fail(key, 'a whole number of 1 or more');
    return v;
  }

  links(key: string): LinkConfig[] {
    const v = this.data[key];
    if (v === undefined) return [];
    const ok =
      Array.isArray(v) &&
      v.every((l) => l && typeof l === 'object' && typeof l.text === 'string' && typeof l.url === 'string');
    if (!ok) this.fail(key, 'a list of { "text": "…", "url": "…" }');
    return (v as LinkConfig[]).map((l) => ({ text: l.text, url: l.url }));
  }

  object(key: string): Record<string, unknown> {
    const v = this.data[key];
    if (v === undefined) return {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(key, 'an object');
    return v as Record<string, unknown>;
  }

  list(key: string): unknown[] {
    const v = this.data[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(key, 'a list');
    return v;
  }
}

/** A URL scheme (`javascript:`, `data:`, `https:`) at the start of a path segment. */
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** A C0 or C1 control character, DEL included. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Normalises a base path to `/` or `/a/b/`; refuses what a browser could take for anything but a path. */
export function normaliseBasePath(value: string): string {
  const hint = 'Write it like /blog/ or /docs/v2/.';
  const control = CONTROL.exec(value);
  if (control) {
    throw new UsageError(`base path ${JSON.stringify(value)} contains a control character (${codePoint(control[0])})`, hint);
  }
  const trimmed = value.trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '/';
  const segments = trimmed.split('/');
  // Templates and scripts get the base path as a string: joined without its leading slash, `javascript:…` would run.
  const scheme = URL_SCHEME.exec(segments[0]!);
  if (scheme) {
    throw new UsageError(
      `base path "${value}" starts with the URL scheme "${scheme[0]}", but it must be a path`,
      `${hint} The site's address (https://…) belongs in baseUrl or --base-url.`,
    );
  }
  if (segments.some((s) => s === '' || s === '.' || s === '..' || !/^[\w.~!$&'()*+,;=:@%-]+$/.test(s))) {
    throw new UsageError(`base path "${value}" is not a valid URL path`, hint);
  }
  return `/${trimmed}/`;
}

/** Splits a base URL into origin and, when it has one, its path. */
export function parseBaseUrl(value: string): { origin: string; path: string | null } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`base URL "${value}" is not an absolute URL`, 'Write it like https://www.example.org');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`base URL "${value}" must start with https:// or http://`);
  }
  const p = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, path: p === '' ? null : p };
}

function checkUnknownKeys(file: string, data: Record<string, unknown>): void {
  for (const key of Object.keys(data)) {
    if (KNOWN_KEYS.includes(key)) continue;
    const guess = suggest(key, KNOWN_KEYS);
    throw new UsageError(
      `${file}: unknown config key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
      'Site-wide values of your own belong under "params"; templates see them as site.params.',
    );
  }
}

/** Resolves flags over the config file over defaults into one frozen config. */
export function resolveConfig(raw: RawConfig, root: string, flags: CliFlags): Readonly<SiteConfig> {
  const file = raw.file ?? 'config';
  checkUnknownKeys(file, raw.data);
  const r = new Reader(file, raw.data);

  const baseUrl = parseBaseUrl(flags.baseUrl ?? r.string('baseUrl', DEFAULTS.baseUrl));
  const basePath = normaliseBasePath(flags.basePath ?? r.string('basePath', baseUrl.path ?? '/'));

  const timeZone = r.string('timeZone', DEFAULTS.timeZone);
  if (!isValidTimeZone(timeZone)) {
    throw new UsageError(`${file}: "timeZone" ${JSON.stringify(timeZone)} is not a time zone`, 'Use an IANA name such as Europe/London or UTC.');
  }
  const language = r.string('language', DEFAULTS.language);
  try {
    new Intl.DateTimeFormat(language);
  } catch {
    throw new UsageError(`${file}: "language" ${JSON.stringify(language)} is not a language tag`, 'Use a tag such as en, en-GB or de.');
  }

  const copyright = r.object('copyright');
  if (copyright.holder !== undefined && typeof copyright.holder !== 'string') r.fail('copyright', '{ "holder": "…", "since": 2012 }');
  if (copyright.since !== undefined && !Number.isInteger(copyright.since)) r.fail('copyright', '{ "holder": "…", "since": 2012 }');

  const markdown = r.object('markdown');
  const html = markdown.html ?? DEFAULTS.markdown.html;
  if (html !== 'sanitize' && html !== 'escape' && html !== 'allow') r.fail('markdown', '{ "html": "sanitize" | "escape" | "allow" }');

  const permalink = r.string('permalink', DEFAULTS.permalink);
  if (!permalink.includes(':slug') || !permalink.endsWith('/')) {
    throw new UsageError(`${file}: "permalink" must contain :slug and end with / so every post gets its own folder (its images sit beside it)`, 'For example /posts/:slug/ or /:year/:month/:slug/.');
  }
  for (const key of ['remarkPlugins', 'rehypePlugins']) {
    const ok = r.list(key).every((p) => typeof p === 'function' || (Array.isArray(p) && typeof p[0] === 'function'));
    if (!ok) {
      throw new UsageError(`${file}: "${key}" must list plugin functions (or [plugin, options] pairs)`, 'Plugins are code: import them in a gi-build.config.mjs, e.g. import remarkToc from "remark-toc"; export default { remarkPlugins: [remarkToc] }.');
    }
  }

  const helpers = r.object('helpers');
  for (const [name, fn] of Object.entries(helpers)) {
    if (typeof fn !== 'function') throw new UsageError(`${file}: helper "${name}" must be a function`);
  }

  const outDir = path.resolve(root, flags.out ?? r.string('outDir', DEFAULT_OUT));
  checkOutDir(root, outDir);

  return Object.freeze({
    root,
    outDir,
    configFile: raw.file,
    title: r.string('title', DEFAULTS.title),
    description: r.string('description', DEFAULTS.description),
    baseUrl: baseUrl.origin,
    basePath,
    language,
    timeZone,
    dateFormat: r.string('dateFormat', DEFAULTS.dateFormat),
    copyright: {
      holder: (copyright.holder as string | undefined) ?? r.string('title', DEFAULTS.title),
      since: (copyright.since as number | undefined) ?? null,
    },
    nav: r.links('nav'),
    footerLinks: r.links('footerLinks'),
    postsPerPage: r.positiveInteger('postsPerPage', DEFAULTS.postsPerPage),
    permalink,
    markdown: { html: html as HtmlMode },
    drafts: flags.drafts ?? r.boolean('drafts', DEFAULTS.drafts),
    future: flags.future ?? r.boolean('future', DEFAULTS.future),
    remarkPlugins: r.list('remarkPlugins') as SiteConfig['remarkPlugins'],
    rehypePlugins: r.list('rehypePlugins') as SiteConfig['rehypePlugins'],
    helpers: helpers as SiteConfig['helpers'],
    params: r.object('params'),
    limits: readLimits(r, file),
  });
}

/** The config's `limits`, each a positive number, over the defaults. */
function readLimits(r: Reader, file: string): Limits {
  const given = r.object('limits');
  const limits: Limits = { ...DEFAULTS.limits };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in limits)) {
      const guess = suggest(key, Object.keys(limits));
      throw new UsageError(`${file}: unknown key "limits.${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`, `The limits are ${Object.keys(limits).join(', ')}.`);
    }
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new UsageError(`${file}: "limits.${key}" must be a number above 0, but is ${JSON.stringify(value)}`);
    }
    limits[key as keyof Limits] = value;
  }
  return limits;
}

/** The real path of a folder the config names (see `realPathSync`); a loop of links or an unreadable folder is a usage error. */
function realFolder(folder: string, what: string): string {
  try {
    return realPathSync(folder);
  } catch (err) {
    // A folder on the way that may not be read is told as the CLI tells any other.
    if (isPermissionDenied(err)) throw err;
    throw new UsageError(`${what} ${folder} cannot be resolved: ${(err as Error).message}`, 'Check the symbolic links on its way.');
  }
}

/**
 * Refuses an output folder that would overwrite or swallow the site's own sources. Both the path as
 * written and its real path are checked, so that no symbolic link (`--out link-to-the-site`) leads
 * the writer, which replaces its whole output folder, into the site.
 */
export function checkOutDir(root: string, outDir: string): void {
  const hint = 'Choose a separate folder such as dist/ with --out.';
  const real = realFolder(outDir, 'the output folder');
  const realRoot = realFolder(root, 'the site folder');
  const named = real === outDir ? outDir : `${outDir} (which leads to ${real})`;
  if (isInside(outDir, root) || isInside(real, realRoot)) {
    throw new UsageError(`refusing to write the site into ${named}: it is the site folder or holds it, and gi-build replaces its output folder`, hint);
  }
  for (const source of ['posts', 'pages', 'templates', 'static']) {
    const folder = path.join(root, source);
    if (isInside(folder, outDir) || isInside(realFolder(folder, 'the source folder'), real)) {
      throw new UsageError(`refusing to write the site into ${named}: it is inside ${source}/, which gi-build reads`, hint);
    }
  }
}

/** Loads the config file and resolves it with the flags. */
export async function loadConfig(flags: CliFlags, cwd: string): Promise<Readonly<SiteConfig>> {
  const root = path.resolve(cwd, flags.root ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new UsageError(`the site folder ${root} does not exist`, 'Check --root, or create a site there with gi-build init.');
  }
  const raw = await loadConfigFile(root);
  return resolveConfig(raw, root, flags);
}
