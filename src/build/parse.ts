import fs from 'node:fs/promises';
import type { SiteConfig } from '../config/types.js';
import type { SourceFile } from '../content/discover.js';
import { createProcessor, renderBody } from '../content/markdown.js';
import { parseSource, parseText, type Post } from '../content/post.js';
import type { Message } from '../util/messages.js';
import { hash, signature } from '../util/hash.js';
import type { ParsedSource } from './state.js';

/** What the parse stage did. */
export interface ParseStage {
  posts: Post[];
  messages: Message[];
  parsed: Map<string, ParsedSource>;
  /** How many sources were read and parsed (the rest came from the previous build). */
  reparsed: number;
}

/** The unified processor of each config (it depends on nothing else), kept for the rebuilds to come. */
const processors = new WeakMap<Readonly<SiteConfig>, ReturnType<typeof createProcessor>>();

/** Renders Markdown bodies with the config's processor, created when first needed. */
export function markdownRenderer(config: Readonly<SiteConfig>): (file: string, body: string, line: number) => ReturnType<typeof renderBody> {
  return (file, body, line) => {
    let processor = processors.get(config);
    if (!processor) {
      processor = createProcessor(config);
      processors.set(config, processor);
    }
    return renderBody(processor, file, body, line);
  };
}

/** Parses every source, reusing the previous build's result for files whose signature is unchanged. */
export async function parseAll(
  sources: SourceFile[],
  config: Readonly<SiteConfig>,
  previous: Map<string, ParsedSource> | undefined,
  options: {
    /**
     * Sources a watcher saw change: read again whatever their signature says. When given, it is
     * taken as complete, and other files known from the previous build are not looked at.
     */
    changed?: ReadonlySet<string>;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<ParseStage> {
  const render = markdownRenderer(config);
  // With a watcher's list of changes, files it did not name are taken as they were: no need to stat them all.
  const trusted = (s: SourceFile) => options.changed !== undefined && !options.changed.has(s.path) && previous?.has(s.path);
  const stats = await Promise.all(
    sources.map((s) => (trusted(s) ? previous!.get(s.path)!.signature : fs.stat(s.absolute).then(signature, () => 'missing'))),
  );
  const parsed = new Map<string, ParsedSource>();
  const posts: Post[] = [];
  const messages: Message[] = [];
  let reparsed = 0;
  for (const [i, source] of sources.entries()) {
    const sig = stats[i]!;
    let entry = previous?.get(source.path);
    if (!entry || entry.signature !== sig || options.changed?.has(source.path)) {
      const bytes = await fs.readFile(source.absolute).catch(() => null);
      const sourceHash = bytes ? hash(bytes) : 'missing';
      // A file saved again (or checked out) with the same bytes parses as it did.
      if (entry && entry.sourceHash === sourceHash && bytes) entry = { ...entry, signature: sig };
      else {
        entry = { signature: sig, sourceHash, result: bytes ? parseText(source, bytes, config, render) : await parseSource(source, config, render) };
        reparsed++;
      }
    }
    parsed.set(source.path, entry);
    messages.push(...entry.result.messages);
    if (entry.result.post) posts.push(entry.result.post);
    options.onProgress?.(i + 1, sources.length);
  }
  return { posts, messages, parsed, reparsed };
}
