import path from 'node:path';
import type { SiteConfig } from '../config/types.js';
import type { SiteSources } from '../content/discover.js';
import { measureImages, type MeasuredImage } from '../content/images.js';
import type { OutputFile } from '../output/files.js';
import { updateOutput } from '../output/writer.js';
import type { TemplateSet } from '../render/templates.js';
import { INDEX_WARN_GZIP_BYTES, sizeWarning } from '../search/files.js';
import type { CopiedFile } from '../site/plan.js';
import { hash } from '../util/hash.js';
import { hasErrors, sortMessages, type Message } from '../util/messages.js';
import { samePlace } from './ahead.js';
import type { BuildResult, StageTiming } from './result.js';
import type { ParseStage } from './parse.js';
import type { BuildOutcome, BuildState } from './state.js';

// What a build can tell from the last successful build's outcome (`BuildOutcome`): that its
// output stands as it is (`standsAsBuilt`), or that the site kept its shape (`sameShape`).

/** A site's own robots.txt, whose lines are added to the generated one. */
export const ROBOTS = 'static/robots.txt';

/** The files a build copies from the site folder and the theme: what the plan copies, the theme's assets and static/ (but robots.txt, whose lines go into the generated one). */
export function copiedFiles(config: Readonly<SiteConfig>, copies: readonly CopiedFile[], templates: TemplateSet, statics: readonly string[]): OutputFile[] {
  return [
    ...copies.map((c) => ({ path: c.output, copyFrom: path.join(config.root, c.source) })),
    ...[...templates.assets].map(([output, source]) => ({ path: output, copyFrom: source })),
    ...statics.filter((s) => s !== ROBOTS).map((s) => ({ path: s.slice('static/'.length), copyFrom: path.join(config.root, s) })),
  ];
}

/** The part of a build's input that is neither a source's contents nor an image (see `BuildOutcome.inputs`). */
export function inputsKey(found: SiteSources, templates: TemplateSet, robotsExtra: string | null): string {
  const sources = found.sources.map((s) => [s.kind, s.path, s.bundle]);
  return hash(JSON.stringify([sources, [...found.assets], [...found.screened], found.statics, templates.key, [...templates.assets.keys()], robotsExtra]));
}

/**
 * The messages of a build's own to keep in its outcome: not those about this run's use of the
 * cache, which are no part of the site, nor the search index's size, which is told again from
 * the index on disk (a watch session's outcome is kept before its index is built).
 */
export function outcomeMessages(messages: Message[]): Message[] {
  return messages.filter((m) => !m.rule.startsWith('cache/') && m.rule !== 'search/size');
}

/**
 * The last successful build's outcome, when the inputs that do not come from the sources are as
 * it found them: the same files, templates and robots.txt lines (`inputs`), and a clock that
 * neither went back past that build's time nor reached a post it left out as future.
 */
function lastOutcome(previous: BuildState | undefined, inputs: string, templates: TemplateSet, now: number): BuildOutcome | null {
  const last = previous?.outcome;
  if (!last || last.inputs !== inputs || previous!.templatesKey !== templates.key) return null;
  return now >= last.at && (last.due === null || now < last.due) ? last : null;
}

/** Whether images were measured as the last build measured them: the same files, each with its signature (`measureImages` then gives back the same object). */
function sameImages(before: ReadonlyMap<string, MeasuredImage>, now: ReadonlyMap<string, MeasuredImage>): boolean {
  if (before.size !== now.size) return false;
  for (const [target, image] of now) if (before.get(target) !== image) return false;
  return true;
}

/**
 * Whether a build finds every input as the last successful build found it: the same config (the
 * caller's state is of it), files, templates and images, each source with the same bytes, and
 * the output folder and its search index as that build left them. Then that build's output
 * stands; the images as measured now are returned. Otherwise null.
 */
export async function standsAsBuilt(
  config: Readonly<SiteConfig>,
  previous: BuildState,
  parsed: ParseStage,
  templates: TemplateSet,
  inputs: string,
  now: number,
): Promise<Map<string, MeasuredImage> | null> {
  const last = lastOutcome(previous, inputs, templates, now);
  if (!last || parsed.reparsed > 0 || parsed.parsed.size !== previous.parsed.size || hasErrors(templates.messages) || previous.search?.key !== last.searchKey) return null;
  const images = await measureImages(config.root, last.images, previous.images);
  return sameImages(previous.images, images) ? images : null;
}

/**
 * Whether a rebuild finds the site in the shape the last successful build left it: the same
 * files, templates and images, the same clock as above, and each source parsed again (`changed`)
 * a post in the place its old version had (`samePlace`). Then the plan is the same, and so is
 * the view model of every page that shows none of the changed posts (`postsShown`).
 */
export function sameShape(
  previous: BuildState | undefined,
  parsed: ParseStage,
  changed: ReadonlySet<string>,
  templates: TemplateSet,
  inputs: string,
  images: ReadonlyMap<string, MeasuredImage>,
  now: number,
): boolean {
  if (!lastOutcome(previous, inputs, templates, now) || parsed.parsed.size !== previous!.parsed.size || !sameImages(previous!.images, images)) return false;
  for (const source of changed) {
    const before = previous!.parsed.get(source)?.result.post;
    const after = parsed.parsed.get(source)?.result.post;
    if (!before || !after || !samePlace(before, after)) return false;
  }
  return true;
}

/**
 * The result of a build that found every input as the last successful build did (`standsAsBuilt`):
 * nothing is planned, rendered or indexed. Only the files copied from the site folder are looked
 * at again: one changed in place since is copied again (as in any rebuild, a copy is known by its
 * source's signature, so one deleted from the output folder by hand is not).
 */
export async function asBuilt(
  config: Readonly<SiteConfig>,
  previous: BuildState,
  found: { parsed: ParseStage; templates: TemplateSet; statics: readonly string[]; images: Map<string, MeasuredImage>; timings: StageTiming[] },
): Promise<BuildResult> {
  const last = previous.outcome!;
  const search = previous.search!;
  const { parsed, templates } = found;
  const copies = copiedFiles(config, last.copies.map(([output, source]) => ({ output, source })), templates, found.statics);
  const copied = new Set(copies.map((f) => f.path));
  const kept = [...previous.outputs.keys()].filter((p) => !copied.has(p));
  const result = await updateOutput(config.outDir, copies, kept, previous.outputs);
  return {
    ok: true,
    messages: sortMessages([...templates.messages, ...parsed.messages, ...last.messages, ...sizeWarning(search, INDEX_WARN_GZIP_BYTES)]),
    stats: { ...last.stats, files: result.outputs.size, searchIndexBytes: search.bytes, searchIndexGzipBytes: search.gzipBytes },
    counts: { parsed: 0, rendered: 0, written: result.written, removed: result.removed, searchIndexed: false, ahead: 0 },
    timings: found.timings,
    state: { ...previous, parsed: parsed.parsed, templates, images: found.images, outputs: result.outputs },
    searchKey: last.searchKey,
    sources: new Map(last.sources),
  };
}
