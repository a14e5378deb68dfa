import fs from 'node:fs';
import type { SiteConfig } from '../config/types.js';
import type { OutputFile } from '../output/files.js';
import type { Collections } from '../site/collections.js';
import type { ViewBuilder } from '../site/view.js';
import { warning, type Message } from '../util/messages.js';
import { buildSearchIndex, type SearchEntry } from './index.js';
import { LUNR_FILES, LUNR_VERSION, pipelineScript } from './lunr.js';
import { hash } from '../util/hash.js';
import { searchIndex } from './query.js';

/** Output paths the search writes; nothing else may claim them. */
export const SEARCH_OUTPUTS = { index: 'search/index.json', lunr: 'assets/lunr.min.js', core: 'assets/search-core.js' } as const;

/** Above this gzipped size the index makes the first search slow on a phone. */
export const INDEX_WARN_GZIP_BYTES = 1_000_000;

/** What identifies a built index, and its size. */
export interface SearchIndexInfo {
  key: string;
  bytes: number;
  gzipBytes: number;
}

/** The search's output files and a warning when the index is too large. */
export interface SearchStage {
  files: OutputFile[];
  /** Output paths whose files from the last build stand (an unchanged index). */
  kept: string[];
  info: SearchIndexInfo;
  messages: Message[];
}

/**
 * Builds the search's files. When the index's input is the same as `previous` describes, the index
 * is not built again and its file from the last build stands.
 */
export function searchFiles(
  config: Readonly<SiteConfig>,
  c: Collections,
  views: ViewBuilder,
  options: { warnAtGzipBytes?: number; previous?: SearchIndexInfo | null } = {},
): SearchStage {
  const entries: SearchEntry[] = [...c.posts, ...c.pages].map((p) => {
    const card = views.card(p);
    return {
      doc: { title: p.title, url: card.url, date: p.date?.day ?? null, dateText: card.date?.display ?? null, summary: p.summary },
      title: p.title,
      tags: p.tags,
      series: p.series,
      authors: p.authors,
      summary: p.summary,
      body: p.text,
    };
  });
  // The browser gets the very functions the index was built with: their source text, not a copy.
  const core = `${pipelineScript(config.language)}\nwindow.giSearchQuery = ${searchIndex.toString()};\n`;
  const files: OutputFile[] = [
    { path: SEARCH_OUTPUTS.lunr, contents: fs.readFileSync(LUNR_FILES.lunr) },
    { path: SEARCH_OUTPUTS.core, contents: core },
  ];
  const key = hash(LUNR_VERSION, config.language, JSON.stringify(entries));
  let info: SearchIndexInfo;
  const kept: string[] = [];
  if (options.previous?.key === key) {
    info = options.previous;
    kept.push(SEARCH_OUTPUTS.index);
  } else {
    const index = buildSearchIndex(entries, config.language);
    info = { key, bytes: index.bytes, gzipBytes: index.gzipBytes };
    files.push({ path: SEARCH_OUTPUTS.index, contents: index.json });
  }
  const messages: Message[] = [];
  if (info.gzipBytes > (options.warnAtGzipBytes ?? INDEX_WARN_GZIP_BYTES)) {
    messages.push(
      warning(
        SEARCH_OUTPUTS.index,
        `the search index is ${(info.gzipBytes / 1e6).toFixed(1)} MB gzipped; visitors download it before their first search`,
        'search/size',
        {},
        'Shorten the text that is indexed, or split very long posts; summaries and titles alone make a much smaller index.',
      ),
    );
  }
  return { files, kept, info, messages };
}
