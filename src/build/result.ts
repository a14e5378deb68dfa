import type { OutputFile } from '../output/files.js';
import type { SearchIndexInfo } from '../search/files.js';
import type { BuiltIndex, SearchEntry } from '../search/index.js';
import type { Message } from '../util/messages.js';
import type { BuildState, BuildStats } from './state.js';

// What a build gives back (see `build` in ./index.ts), apart from the code that makes it, so that
// the modules that make parts of it need not import the build itself.

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
  /** Pages of edited posts written ahead, before the site was discovered and planned again (see `editedPagesAhead`). */
  ahead: number;
}

/** What a build did. */
export interface BuildResult {
  ok: boolean;
  messages: Message[];
  stats: BuildStats;
  counts: BuildCounts;
  timings: StageTiming[];
  /** What the next build may reuse: after a failed build, what is still valid of the previous state. */
  state: BuildState;
  /** With `deferSearch`: the changed search index, still to be built. */
  pendingSearch?: PendingSearch;
  /** The key of the search index this build's content calls for (when the build got that far). */
  searchKey?: string;
  /** The site-relative source file of each page made from one (post or page), by output path. */
  sources: Map<string, string>;
}

/** A search index a rebuild left to be built (in a worker), then written by the caller. */
export interface PendingSearch {
  /** Identifies the index's input: a newer build that wants another key makes this one stale. */
  key: string;
  entries: SearchEntry[];
  language: string;
  /** The index file for the built index, and what the state records of it. */
  file(built: BuiltIndex): { file: OutputFile; info: SearchIndexInfo };
}
