import fs from 'node:fs';
import type { SiteConfig } from '../config/types.js';
import type { OutputFile } from '../output/files.js';
import type { Collections } from '../site/collections.js';
import type { ViewBuilder } from '../site/view.js';
import { warning, type Message } from '../util/messages.js';
import { buildSearchIndex, type SearchEntry } from './index.js';
import { LUNR_FILES, pipelineScript } from './lunr.js';
import { searchIndex } from './query.js';

/** Output paths the search writes; nothing else may claim them. */
export const SEARCH_OUTPUTS = { index: 'search/index.json', lunr: 'assets/lunr.min.js', core: 'assets/search-core.js' } as const;

/** Above this gzipped size the index makes the first search slow on a phone. */
export const INDEX_WARN_GZIP_BYTES = 1_000_000;

/** The search's output files, its size figures, and a warning when the index is too large. */
export function searchFiles(
  config: Readonly<SiteConfig>,
  c: Collections,
  views: ViewBuilder,
  warnAtGzipBytes = INDEX_WARN_GZIP_BYTES,
): { files: OutputFile[]; messages: Message[]; bytes: number; gzipBytes: number } {
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
  const index = buildSearchIndex(entries, config.language);
  const messages: Message[] = [];
  if (index.gzipBytes > warnAtGzipBytes) {
    messages.push(
      warning(
        SEARCH_OUTPUTS.index,
        `the search index is ${(index.gzipBytes / 1e6).toFixed(1)} MB gzipped; visitors download it before their first search`,
        'search/size',
        {},
        'Shorten the text that is indexed, or split very long posts; summaries and titles alone make a much smaller index.',
      ),
    );
  }
  // The browser gets the very functions the index was built with: their source text, not a copy.
  const core = `${pipelineScript(config.language)}\nwindow.giSearchQuery = ${searchIndex.toString()};\n`;
  return {
    files: [
      { path: SEARCH_OUTPUTS.index, contents: index.json },
      { path: SEARCH_OUTPUTS.lunr, contents: fs.readFileSync(LUNR_FILES.lunr) },
      { path: SEARCH_OUTPUTS.core, contents: core },
    ],
    messages,
    bytes: index.bytes,
    gzipBytes: index.gzipBytes,
  };
}
