import fs from 'node:fs/promises';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SiteConfig } from '../config/types.js';
import { discover } from '../content/discover.js';
import type { OutputFile } from '../output/files.js';
import { checkReplaceable, isOwnOutput, updateOutput, writeOutput } from '../output/writer.js';
import { builtinHelpers } from '../render/helpers.js';
import { renderSite } from '../render/site.js';
import { loadTemplates, type TemplateLayer } from '../render/templates.js';
import { collect } from '../site/collections.js';
import { planSite } from '../site/plan.js';
import { SEARCH_OUTPUTS, searchFiles } from '../search/files.js';
import { ViewBuilder } from '../site/view.js';
import { hasErrors, sortMessages, type Message } from '../util/messages.js';
import { parseAll } from './parse.js';
import { configKey, type BuildState } from './state.js';

/** The built-in theme shipped with gi-build. */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** gi-build's version: part of every cache key. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** How long one stage took. */
export interface StageTiming {
  stage: string;
  ms: number;
}

/** How much work a build did, for rebuild reports and tests. */
export interface BuildCounts {
  /** Sources read and parsed (not taken from the previous build). */
  parsed: number;
  /** Pages rendered (not kept from the previous build). */
  rendered: number;
  /** Files written, and files removed as no longer produced. */
  written: string[];
  removed: string[];
  /** Whether the search index was built (not kept). */
  searchIndexed: boolean;
}

/** What a build did. */
export interface BuildResult {
  ok: boolean;
  messages: Message[];
  stats: { posts: number; pages: number; files: number; drafts: number; searchIndexBytes: number; searchIndexGzipBytes: number };
  counts: BuildCounts;
  timings: StageTiming[];
  /** What the next build may reuse: after a failed build, what is still valid of the previous state. */
  state: BuildState;
}

/** What a caller may inject: the clock, a progress listener, and the previous build's state. */
export interface BuildOptions {
  /** The current time, for deciding which posts are in the future. */
  now?: number;
  /** Called as sources are parsed, for a progress display. */
  onProgress?: (done: number, total: number) => void;
  /** The state the previous build of the same site returned. */
  previous?: BuildState;
  /** Changes known since the previous build (from a watcher). */
  changes?: { templates?: boolean; sources?: ReadonlySet<string> };
}

/** The template layers: the site's own `templates/` first, then the built-in theme. */
export async function templateLayers(root: string): Promise<TemplateLayer[]> {
  const site = path.join(root, 'templates');
  const builtin = BUILTIN_TEMPLATES;
  const [siteReal, builtinReal] = await Promise.all([fs.realpath(site).catch(() => null), fs.realpath(builtin)]);
  const layers: TemplateLayer[] = [];
  // The site's layer is listed even when its folder does not exist yet: "looked for" messages name it.
  if (siteReal !== builtinReal) layers.push({ dir: site, label: (rel) => `templates/${rel}` });
  layers.push({ dir: builtin, label: (rel) => (siteReal === builtinReal ? `templates/${rel}` : `(built-in) templates/${rel}`) });
  return layers;
}

async function readOptional(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch(() => null);
}

/**
 * Builds the site described by `config` into its output folder. Given the previous build's state,
 * it re-parses only changed sources, re-renders only pages whose input changed and writes only
 * files whose contents changed; the result is the same as a full build's.
 */
export async function build(config: Readonly<SiteConfig>, options: BuildOptions = {}): Promise<BuildResult> {
  const now = options.now ?? Date.now();
  const timings: StageTiming[] = [];
  let mark = performance.now();
  const lap = (stage: string) => {
    const t = performance.now();
    timings.push({ stage, ms: t - mark });
    mark = t;
  };

  const key = configKey(config, VERSION);
  // A different config, or an output folder that is gone or not ours, means nothing of the previous build can be trusted.
  const previous = options.previous?.configKey === key && (await isOwnOutput(config.outDir)) ? options.previous : undefined;
  await checkReplaceable(config.outDir);

  const reuseTemplates = previous?.templates && !options.changes?.templates ? previous.templates : null;
  const [sources, templates] = await Promise.all([
    discover(config.root),
    reuseTemplates ?? templateLayers(config.root).then((layers) => loadTemplates(layers, { ...builtinHelpers(config), ...config.helpers })),
  ]);
  lap('discover');

  const parsed = await parseAll(sources.sources, config, previous?.parsed, { changed: options.changes?.sources, onProgress: options.onProgress });
  const messages: Message[] = [...templates.messages, ...parsed.messages];
  lap('parse');

  const collections = collect(parsed.posts, { drafts: config.drafts, future: config.future, now });
  const plan = planSite(collections, config, {
    assets: sources.assets,
    statics: sources.statics,
    reserved: [...templates.assets.keys(), ...Object.values(SEARCH_OUTPUTS)],
  });
  messages.push(...plan.messages);
  lap('plan');

  const views = new ViewBuilder(config, collections, plan);
  const robotsExtra = sources.statics.includes('static/robots.txt') ? await readOptional(path.join(config.root, 'static/robots.txt')) : null;
  // Page keys only hold while the templates are the same compiled set.
  const previousPages = reuseTemplates ? previous?.pages : undefined;
  // A template that does not compile would only cause a cascade of render errors: report it alone.
  const rendered = hasErrors(templates.messages)
    ? { files: [], kept: [], pageKeys: new Map<string, string>(), messages: [] }
    : renderSite(config, collections, plan, templates, views, robotsExtra, previousPages);
  messages.push(...rendered.messages);
  lap('render');

  const search = searchFiles(config, collections, views, { previous: previous?.search });
  messages.push(...search.messages);
  lap('search');

  const files: OutputFile[] = [
    ...rendered.files,
    ...search.files,
    ...plan.copies.map((c) => ({ path: c.output, copyFrom: path.join(config.root, c.source) })),
    ...sources.statics
      .filter((s) => s !== 'static/robots.txt')
      .map((s) => ({ path: s.slice('static/'.length), copyFrom: path.join(config.root, s) })),
  ];
  const kept = [...rendered.kept, ...search.kept];
  const stats = {
    posts: collections.posts.length,
    pages: plan.pages.length,
    files: files.length + kept.length,
    drafts: collections.unpublished.size,
    searchIndexBytes: search.info.bytes,
    searchIndexGzipBytes: search.info.gzipBytes,
  };
  const counts: BuildCounts = {
    parsed: parsed.reparsed,
    rendered: rendered.files.filter((f) => f.path.endsWith('.html')).length,
    written: [],
    removed: [],
    searchIndexed: search.kept.length === 0,
  };
  const sorted = sortMessages(messages);
  if (hasErrors(sorted)) {
    // Nothing is written, so the output still matches the previous state; only parse results of unchanged files carry over.
    const state: BuildState = previous
      ? { ...previous, parsed: parsed.parsed, templates: reuseTemplates, pages: reuseTemplates ? previous.pages : new Map() }
      : { configKey: key, parsed: parsed.parsed, templates: null, pages: new Map(), search: null, outputs: new Map() };
    return { ok: false, messages: sorted, stats, counts, timings, state };
  }

  const written = previous ? await updateOutput(config.outDir, files, kept, previous.outputs) : await writeOutput(config.outDir, files);
  counts.written = written.written;
  counts.removed = written.removed;
  lap('write');
  const state: BuildState = {
    configKey: key,
    parsed: parsed.parsed,
    templates: hasErrors(templates.messages) ? null : templates,
    pages: rendered.pageKeys,
    search: search.info,
    outputs: written.outputs,
  };
  return { ok: true, messages: sorted, stats, counts, timings, state };
}
