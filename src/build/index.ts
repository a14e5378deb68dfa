import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteConfig } from '../config/types.js';
import { discover } from '../content/discover.js';
import { createProcessor, renderBody } from '../content/markdown.js';
import { parseSource, type Post } from '../content/post.js';
import type { OutputFile } from '../output/files.js';
import { checkReplaceable, writeOutput } from '../output/writer.js';
import { builtinHelpers } from '../render/helpers.js';
import { renderSite } from '../render/site.js';
import { loadTemplates, type TemplateLayer } from '../render/templates.js';
import { collect } from '../site/collections.js';
import { planSite } from '../site/plan.js';
import { SEARCH_OUTPUTS, searchFiles } from '../search/files.js';
import { ViewBuilder } from '../site/view.js';
import { hasErrors, sortMessages, type Message } from '../util/messages.js';

/** The built-in theme shipped with gi-build. */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** How long one stage took. */
export interface StageTiming {
  stage: string;
  ms: number;
}

/** What a build did. */
export interface BuildResult {
  ok: boolean;
  messages: Message[];
  stats: { posts: number; pages: number; files: number; drafts: number; searchIndexBytes: number; searchIndexGzipBytes: number };
  timings: StageTiming[];
}

/** What a caller may inject: the clock and a progress listener. */
export interface BuildOptions {
  /** The current time, for deciding which posts are in the future. */
  now?: number;
  /** Called as sources are parsed, for a progress display. */
  onProgress?: (done: number, total: number) => void;
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

/** Builds the site described by `config` into its output folder. */
export async function build(config: Readonly<SiteConfig>, options: BuildOptions = {}): Promise<BuildResult> {
  const now = options.now ?? Date.now();
  const timings: StageTiming[] = [];
  let mark = performance.now();
  const lap = (stage: string) => {
    const t = performance.now();
    timings.push({ stage, ms: t - mark });
    mark = t;
  };

  await checkReplaceable(config.outDir);
  const [sources, templates] = await Promise.all([
    discover(config.root),
    templateLayers(config.root).then((layers) => loadTemplates(layers, { ...builtinHelpers(config), ...config.helpers })),
  ]);
  lap('discover');

  const processor = createProcessor(config);
  const render = (file: string, body: string, line: number) => renderBody(processor, file, body, line);
  const messages: Message[] = [...templates.messages];
  const posts: Post[] = [];
  let done = 0;
  for (const source of sources.sources) {
    const parsed = await parseSource(source, config, render);
    messages.push(...parsed.messages);
    if (parsed.post) posts.push(parsed.post);
    options.onProgress?.(++done, sources.sources.length);
  }
  lap('parse');

  const collections = collect(posts, { drafts: config.drafts, future: config.future, now });
  const plan = planSite(collections, config, {
    assets: sources.assets,
    statics: sources.statics,
    reserved: [...templates.assets.keys(), ...Object.values(SEARCH_OUTPUTS)],
  });
  messages.push(...plan.messages);
  lap('plan');

  const views = new ViewBuilder(config, collections, plan);
  const robotsExtra = sources.statics.includes('static/robots.txt') ? await readOptional(path.join(config.root, 'static/robots.txt')) : null;
  // A template that does not compile would only cause a cascade of render errors: report it alone.
  const rendered = hasErrors(templates.messages) ? { files: [], messages: [] } : renderSite(config, collections, plan, templates, views, robotsExtra);
  messages.push(...rendered.messages);
  lap('render');

  const search = searchFiles(config, collections, views);
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
  const stats = {
    posts: collections.posts.length,
    pages: plan.pages.length,
    files: files.length,
    drafts: collections.unpublished.size,
    searchIndexBytes: search.bytes,
    searchIndexGzipBytes: search.gzipBytes,
  };
  const sorted = sortMessages(messages);
  if (hasErrors(sorted)) return { ok: false, messages: sorted, stats, timings };

  await writeOutput(config.outDir, files);
  lap('write');
  return { ok: true, messages: sorted, stats, timings };
}
