import fs from 'node:fs/promises';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SiteConfig } from '../config/types.js';
import { discover } from '../content/discover.js';
import { measureImages } from '../content/images.js';
import type { OutputFile } from '../output/files.js';
import { checkReplaceable, isOwnOutput, StagedOutput, updateOutput, writeAhead } from '../output/writer.js';
import { builtinHelpers } from '../render/helpers.js';
import { renderPages, renderSiteFiles, type RenderOptions } from '../render/site.js';
import { loadTemplates, type TemplateLayer, type TemplateSet } from '../render/templates.js';
import { collect, type Collections } from '../site/collections.js';
import { planSite, type PlannedPage } from '../site/plan.js';
import { withoutRefused } from '../site/refused.js';
import { indexFile, planSearch, SEARCH_OUTPUTS, searchFiles, startIndex, type EarlyIndex, type SearchIndexInfo, type SearchPlan } from '../search/files.js';
import type { SearchEntry } from '../search/index.js';
import { gzipPlanAfter, type GzipPlan, type SearchWorker } from '../search/worker.js';
import { LazyTerms, TermCache } from '../search/terms.js';
import { postsShown, ViewBuilder } from '../site/view.js';
import { hasErrors, sortMessages, type Message } from '../util/messages.js';
import { editedPagesAhead, firstDue, siteModel } from './ahead.js';
import type { ContentStore } from './cache.js';
import { loadParser, parseAll, type ParseStage } from './parse.js';
import { asBuilt, copiedFiles, inputsKey, outcomeMessages, ROBOTS, sameShape, standsAsBuilt } from './outcome.js';
import { configKey, type BuildState, type BuildStats } from './state.js';
import type { BuildCounts, BuildResult, PendingSearch, StageTiming } from './result.js';

export type { BuildCounts, BuildResult, PendingSearch, StageTiming } from './result.js';

/** The built-in theme shipped with gi-build. */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** gi-build's version: part of every cache key. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

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
  /** Called when an edited post's own page has been written, ahead of the rest of a rebuild. */
  onFirstPages?: (written: string[]) => void;
  /** Called when a rebuild has written everything but the search index. */
  onPagesWritten?: (counts: BuildCounts) => void;
  /**
   * Leave a changed search index to the caller (`BuildResult.pendingSearch`), to be built in a
   * worker thread: a watch loop updates pages at once and lets the index follow (on its first
   * build too, so the output has no index until the worker has written it).
   */
  deferSearch?: boolean;
  /** Keeps parsed posts' HTML and text somewhere other than memory (the build cache), as they are parsed. */
  content?: ContentStore;
  /** A worker thread to build the search index in, while this thread renders and writes the pages (called when an index is needed). */
  searchWorker?: () => SearchWorker;
  /** Worker threads to parse in (0: none); by default as many as the machine has cores (up to 4), for a few hundred sources or more. */
  parseWorkers?: number;
}

/** Pages rendered at a time before they are written: enough to keep the disk busy, few enough to hold. */
const RENDER_CHUNK = 20;

/**
 * Renders pages. With a staged output, they are written as they are rendered, a chunk at a time,
 * and not kept (`files` is then empty; `count` says how many were rendered); once one fails,
 * nothing more is written, since the build will not be committed.
 */
async function renderInto(staged: StagedOutput | null, pages: readonly PlannedPage[], templates: TemplateSet, views: ViewBuilder, options: RenderOptions) {
  if (!staged) {
    const all = renderPages(pages, templates, views, options);
    return { ...all, count: all.files.length };
  }
  const reported = new Set<string>();
  const result = { files: [] as OutputFile[], count: 0, kept: [] as string[], pageKeys: new Map<string, string>(), messages: [] as Message[] };
  // Each chunk goes to the output as the next is rendered: on a quick disk its files are written
  // (synchronously) when this thread next waits, on a slow one side by side while it renders.
  let writing: Promise<void> | null = null;
  for (let i = 0; i < pages.length; i += RENDER_CHUNK) {
    const part = renderPages(pages.slice(i, i + RENDER_CHUNK), templates, views, { ...options, reported });
    result.count += part.files.length;
    result.kept.push(...part.kept);
    for (const [output, key] of part.pageKeys) result.pageKeys.set(output, key);
    result.messages.push(...part.messages);
    await writing;
    if (hasErrors(result.messages)) continue;
    writing = staged.add(part.files);
    // Its failure is met at the next await of it, after this chunk's successor is rendered.
    writing.catch(() => undefined);
  }
  await writing;
  return result;
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
  // A search index started early is dropped however the build ends without it (once used, dropping does nothing).
  const started: { early: EarlyIndex | null } = { early: null };
  try {
    return await buildSite(config, options, started);
  } finally {
    started.early?.cancel();
  }
}

/**
 * A rebuild's search index, started in the worker as soon as the posts are collected, while this
 * thread plans and renders: when the worker is there, and sources were parsed again (content
 * changed, so most likely the index did).
 */
function earlyIndex(config: Readonly<SiteConfig>, options: BuildOptions, parsed: ParseStage, collections: Collections, gzip: GzipPlan): EarlyIndex | null {
  const inWorker = options.searchWorker;
  if (!inWorker || options.deferSearch || parsed.reparsed === 0) return null;
  return startIndex(collections, parsed.fresh, (entries, docs, whole) => inWorker().build(entries, config.language, { gzip, docs, whole }));
}

/** `build`, which records in `started` the search index it starts early. */
async function buildSite(config: Readonly<SiteConfig>, options: BuildOptions, started: { early: EarlyIndex | null }): Promise<BuildResult> {
  const now = options.now ?? Date.now();
  const timings: StageTiming[] = [];
  let mark = performance.now();
  const lap = (stage: string) => {
    const t = performance.now();
    timings.push({ stage, ms: t - mark });
    mark = t;
  };

  const key = configKey(config, VERSION);
  // Parse results and image sizes hold while the config is the same; they are checked file by file.
  const known = options.previous?.configKey === key ? options.previous : undefined;
  // An edited post's own page is what its author is waiting for: out first when its place in the site holds.
  const ahead = known && options.changes?.sources && !options.changes.templates ? editedPagesAhead(config, known, options.changes.sources, now, await loadParser(config, { guarded: true })) : null;
  if (ahead) {
    options.onFirstPages?.(ahead.written);
    lap('ahead');
  }
  // What is on disk can only be trusted from a build that wrote it, into an output folder still ours.
  const previous = known && known.outputs.size > 0 && (await isOwnOutput(config.outDir)) ? known : undefined;
  await checkReplaceable(config.outDir);
  const changed = previous ? options.changes?.sources : undefined;

  const reuseTemplates = previous?.templates && !options.changes?.templates ? previous.templates : null;
  const [sources, templates] = await Promise.all([
    discover(config.root),
    reuseTemplates ?? templateLayers(config.root).then((layers) => loadTemplates(layers, { ...builtinHelpers(config), ...config.helpers })),
  ]);
  const robotsExtra = sources.statics.includes(ROBOTS) ? await readOptional(path.join(config.root, ROBOTS)) : null;
  lap('discover');

  // Sources parsed ahead are taken as they were parsed there.
  const parsed = ahead && changed
    ? await parseAll(sources.sources, config, new Map([...known!.parsed, ...ahead.parsed]), { changed: new Set([...changed].filter((s) => !ahead.parsed.has(s))) })
    : await parseAll(sources.sources, config, known?.parsed, {
        changed,
        onProgress: options.onProgress,
        workers: options.parseWorkers,
        // Changed content means a new search index: its worker starts now, reading its cached terms while this thread goes on.
        // Without a previous build there are none to read, and the worker would only add its memory to the parse's peak.
        onChange: options.deferSearch || !known ? undefined : options.searchWorker,
        keep: options.content?.keep,
      });
  await options.content?.settled();
  const messages: Message[] = [...templates.messages, ...parsed.messages];
  // The messages the build makes of its own, after those of loading its input.
  const ownMessages = messages.length;
  lap('parse');

  // A build that finds its input as the last one left it leaves its output as it stands. Not in
  // a watch loop (which rebuilds on a change, and keeps its plan for the next one).
  const inputs = inputsKey(sources, templates, robotsExtra);
  const same = previous && !ahead && !options.deferSearch ? await standsAsBuilt(config, previous, parsed, templates, inputs, now) : null;
  if (same) {
    const result = await asBuilt(config, previous!, { parsed, templates, statics: sources.statics, images: same, timings });
    lap('write');
    options.onPagesWritten?.(result.counts);
    return result;
  }

  const collections = collect(parsed.posts, { drafts: config.drafts, future: config.future, now, language: config.language });
  // Kept between builds in this thread (and on disk); a watch loop's worker keeps its own.
  const terms = options.deferSearch ? null : (known?.terms ?? new LazyTerms(() => new TermCache(config.language)));
  // The gzipped size is estimated from the last measured one while the raw size barely moves.
  const gzip = gzipPlanAfter(previous?.search);
  const early = hasErrors(messages) ? null : earlyIndex(config, options, parsed, collections, gzip);
  started.early = early;
  const planned = planSite(collections, config, {
    assets: sources.assets,
    statics: sources.statics,
    reserved: [...templates.assets.keys(), ...Object.values(SEARCH_OUTPUTS)],
  });
  const plan = withoutRefused(planned, sources.screened);
  messages.push(...plan.messages);
  const pageSources = new Map(plan.pages.flatMap((p) => (p.post ? [[p.output, p.post.source] as const] : [])));
  lap('plan');

  const shown = [...collections.posts, ...collections.pages];
  const imageTargets = [...new Set(shown.flatMap((p) => [...(p.image ? [p.image.target] : []), ...p.refs.filter((r) => r.kind === 'image').map((r) => r.target)]))];
  const images = await measureImages(config.root, imageTargets, known?.images);
  const views = new ViewBuilder(config, collections, plan, images);
  // Sources parsed in this build (ahead of it too): on a site of the same shape, only pages that show their posts can have changed.
  const changedSources = new Set([...parsed.fresh, ...(ahead?.parsed.keys() ?? [])]);
  const settled = sameShape(previous, parsed, changedSources, templates, inputs, images, now)
    ? (page: PlannedPage) => !postsShown(page, collections).some((p) => changedSources.has(p.source))
    : undefined;
  // Page keys only hold while the templates are the same.
  const previousPages = previous && (reuseTemplates || previous.templatesKey === templates.key) ? previous.pages : undefined;
  // What is on disk: the previous build's output, plus whatever this build writes ahead.
  let outputs = ahead?.outputs ?? previous?.outputs ?? new Map<string, string>();
  let pageKeys = new Map([...(previousPages ?? []), ...(ahead?.pageKeys ?? [])]);
  const written: string[] = [...(ahead?.written ?? [])];

  // Edited pages that could not go out ahead go out first now that the site is planned, when all is well so far.
  const first = changed && !ahead ? plan.pages.filter((p) => p.post && changed.has(p.post.source)) : [];
  if (previous && first.length > 0 && !hasErrors(messages)) {
    const ahead = renderPages(first, templates, views, { previousKeys: pageKeys });
    if (!hasErrors(ahead.messages)) {
      outputs = await writeAhead(config.outDir, ahead.files, outputs);
      for (const [output, k] of ahead.pageKeys) pageKeys.set(output, k);
      written.push(...ahead.files.map((f) => f.path));
      options.onFirstPages?.(ahead.files.map((f) => f.path));
    }
  }

  // A build that makes its own index builds it now: its gzip runs on the thread pool while the pages render.
  const inWorker = options.searchWorker;
  const build = inWorker ? (entries: SearchEntry[], language: string) => inWorker().build(entries, language, { gzip }) : undefined;
  const searchJob = terms && !hasErrors(messages) ? searchFiles(config, collections, views, { previous: previous?.search, terms, build, early }) : null;
  searchJob?.catch(() => undefined);
  if (searchJob) lap('search');

  // A template that does not compile would only cause a cascade of render errors: report it alone.
  const compiled = !hasErrors(templates.messages);
  // A build from scratch writes its pages into a fresh folder as they are rendered, rather than holding them all.
  const staged = !previous && compiled && !hasErrors(messages) ? await StagedOutput.open(config.outDir) : null;
  // Whatever fails while the fresh folder is open removes it: the output folder stays as it was.
  const guarded = async <T>(work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      await staged?.abort();
      throw err;
    }
  };
  const { rendered, siteFiles } = await guarded(async () => ({
    rendered: compiled ? await renderInto(staged, plan.pages, templates, views, { previousKeys: pageKeys, settled }) : { files: [], count: 0, kept: [], pageKeys: new Map<string, string>(), messages: [] },
    siteFiles: compiled ? renderSiteFiles(config, collections, plan, views, robotsExtra) : [],
  }));
  messages.push(...rendered.messages);
  lap('render');

  const files: OutputFile[] = [...rendered.files, ...siteFiles, ...copiedFiles(config, plan.copies, templates, sources.statics)];
  const counts: BuildCounts = {
    parsed: parsed.reparsed + (ahead?.parsed.size ?? 0),
    rendered: rendered.count + written.length,
    written,
    removed: [],
    searchIndexed: false,
    ahead: ahead?.written.length ?? 0,
  };
  const stats: BuildStats = {
    posts: collections.posts.length,
    pages: plan.pages.length,
    // Every file of the output as the build leaves it; set when it is known.
    files: outputs.size,
    drafts: collections.unpublished.size,
    searchIndexBytes: previous?.search?.bytes ?? 0,
    searchIndexGzipBytes: previous?.search?.gzipBytes ?? 0,
  };
  if (hasErrors(messages)) {
    await staged?.abort();
    // Nothing more is written, so the output is the previous state's plus what went ahead.
    const state: BuildState = previous
      ? { ...previous, parsed: parsed.parsed, templates: reuseTemplates, templatesKey: previousPages ? templates.key : null, pages: previousPages ? pageKeys : new Map(), outputs, images, site: null, outcome: null }
      : { configKey: key, parsed: parsed.parsed, templates: null, templatesKey: null, pages: new Map(), search: null, terms: known?.terms ?? null, outputs: new Map(), images, site: null, outcome: null };
    return { ok: false, messages: sortMessages(messages), stats, counts, timings, state, sources: pageSources };
  }
  pageKeys = rendered.pageKeys;

  const due = firstDue(parsed.posts, now);
  // The ways a successful build ends share these: its state, its result, an index left to a worker.
  const stateWith = (search: SearchIndexInfo | null, written: Map<string, string>, searchKey: string): BuildState => ({
    configKey: key,
    parsed: parsed.parsed,
    templates,
    templatesKey: templates.key,
    pages: pageKeys,
    search,
    terms,
    outputs: written,
    images,
    site: siteModel(collections, plan, views, due),
    outcome: {
      inputs,
      at: now,
      due: Number.isFinite(due) ? due : null,
      images: imageTargets,
      copies: plan.copies.map((c) => [c.output, c.source]),
      sources: [...pageSources],
      messages: outcomeMessages(messages.slice(ownMessages)),
      stats: { ...stats },
      searchKey,
    },
  });
  // The search key the result reports is the one its state's outcome keeps.
  const done = (state: BuildState, pendingSearch?: PendingSearch): BuildResult => ({
    ok: true,
    messages: sortMessages(messages),
    stats,
    counts,
    timings,
    state,
    sources: pageSources,
    searchKey: state.outcome!.searchKey,
    ...(pendingSearch ? { pendingSearch } : {}),
  });
  const leftToWorker = (plan: SearchPlan): PendingSearch => ({ key: plan.key, entries: plan.entries, language: config.language, file: (built) => indexFile(plan, built) });

  if (!previous) {
    // A first build swaps the whole folder in at once. In a watch loop the index is left to its
    // worker, which then keeps every post's terms for the rebuilds to come.
    const plan = options.deferSearch ? planSearch(config, collections, views, null) : null;
    const search = plan ? null : await guarded(() => searchJob!);
    messages.push(...(search?.messages ?? []));
    lap('search size');
    const result = await guarded(async () => {
      await staged!.add([...files, ...(search?.files ?? plan!.scripts)]);
      return staged!.commit();
    });
    lap('write');
    Object.assign(counts, { written: result.written, searchIndexed: search !== null });
    Object.assign(stats, { files: result.outputs.size, searchIndexBytes: search?.info.bytes ?? 0, searchIndexGzipBytes: search?.info.gzipBytes ?? 0 });
    options.onPagesWritten?.(counts);
    if (plan) return done(stateWith(null, result.outputs, plan.key), leftToWorker(plan));
    return done(stateWith(search!.info, result.outputs, search!.info.key));
  }

  // A rebuild updates the folder in place: the pages first, then the search index, which takes longest.
  // The search's files are written after the pages; until then the previous ones stand.
  const kept = [...rendered.kept, ...Object.values(SEARCH_OUTPUTS).filter((p) => outputs.has(p))];
  const pagesWritten = await updateOutput(config.outDir, files, kept, outputs);
  counts.written.push(...pagesWritten.written.filter((f) => !written.includes(f)));
  counts.removed = pagesWritten.removed;
  lap('write');
  options.onPagesWritten?.(counts);

  if (options.deferSearch) {
    const plan = planSearch(config, collections, views, previous.search);
    const outputsNow = await writeAhead(config.outDir, plan.scripts, pagesWritten.outputs);
    stats.files = outputsNow.size;
    lap('search');
    // Until the index is written, the state describes the old one: a rebuild meanwhile compares against it.
    return done(stateWith(previous.search, outputsNow, plan.key), plan.unchanged ? undefined : leftToWorker(plan));
  }

  const search = await searchJob!;
  messages.push(...search.messages);
  lap('search size');
  const finalOutputs = await writeAhead(config.outDir, search.files, pagesWritten.outputs);
  counts.searchIndexed = search.kept.length === 0;
  if (counts.searchIndexed) counts.written.push(SEARCH_OUTPUTS.index);
  lap('write search');
  Object.assign(stats, { files: finalOutputs.size, searchIndexBytes: search.info.bytes, searchIndexGzipBytes: search.info.gzipBytes });
  return done(stateWith(search.info, finalOutputs, search.info.key));
}
