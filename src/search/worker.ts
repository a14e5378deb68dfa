import fs from 'node:fs';
import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { SearchIndexInfo } from './files.js';
import type { BuiltIndex, SearchDoc, SearchEntry } from './index.js';
import { writeWholeNow } from '../util/atomic.js';
import { gzipSize } from '../util/gzip.js';
import { MissingTermsError, TermCache, type EntryTerms, type PreparedIndex } from './terms.js';

/** A long-lived thread that builds search indexes, keeping each entry's terms between builds. */
export interface SearchWorker {
  /**
   * Builds an index; requests are served one at a time, in order. With `gzip`, the index's
   * gzipped size is measured too (else `gzipBytes` is -1); given the sizes measured for an earlier
   * index, it is estimated from them instead while the raw size stays within 1 % of theirs.
   */
  build(entries: SearchEntry[], language: string, options?: { gzip?: GzipPlan }): Promise<BuiltIndex>;
  /**
   * The same, started before the result cards are known: the worker computes the terms' part of
   * the index meanwhile, and `docs` completes it (one card per entry, in their order). Should
   * `docs` reject, the build is dropped and rejects with its reason. The entries whose keys are in
   * `whole` (new to the worker, most likely) are sent with their texts, the others by key alone.
   */
  build(entries: EntryTerms[], language: string, options: { gzip?: GzipPlan; docs: Promise<SearchDoc[]>; whole?: ReadonlySet<string> }): Promise<BuiltIndex>;
  /** Writes the terms the worker holds to its terms file (after the requests before it), if it has one. */
  saveTerms(): Promise<void>;
  close(): Promise<void>;
}

// This module compiled, run as the worker: beside the module asking (in lib/search/, or in the bundle
// in lib/bundle/); when this module runs from src/ under the test runner, the one in lib/search/.
const WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('../../lib/search/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);

/**
 * Whether to report an index's gzipped size: measured (`true`), or estimated from the sizes measured
 * for an earlier index, as long as the raw size has moved less than 1 % since (measuring 20 MB
 * takes longer than building the index from cached terms).
 */
export type GzipPlan = boolean | { bytes: number; gzipBytes: number };

/** The gzip plan for an index that follows `last`: estimated from the sizes last measured, or measured when there are none. */
export function gzipPlanAfter(last: SearchIndexInfo | null | undefined): GzipPlan {
  if (!last || last.gzipBytes <= 0) return true;
  return last.measured ?? { bytes: last.bytes, gzipBytes: last.gzipBytes };
}

/** How far the raw size may move from the measured one before the gzipped size is measured again. */
const ESTIMATE_WITHIN = 0.01;

/** An entry with its texts (its result card aside). */
type WholeEntry = Omit<SearchEntry, 'doc'>;

/** What a build request names an entry by: whole, or by key alone when the worker should hold its terms. */
type Sent = EntryTerms & { doc?: SearchDoc };

type Request =
  | { id: number; entries: Sent[]; language: string; gzip: GzipPlan; docsLater?: boolean }
  | { id: number; docs: SearchDoc[] | null }
  | { id: number; learn: WholeEntry[]; language: string }
  | { id: number; save: true };

/**
 * Whole entries sent at a time ahead of a build: the worker analyses them a chunk at a time, so its
 * heap holds one chunk's texts as strings, not all of them (the messages themselves are queued at once).
 */
const LEARN_CHUNK = 200;

type Reply = { id: number; built: BuiltIndex } | { id: number; missing: string[] } | { id: number; saved: true } | { id: number; error: string };

/**
 * Starts the worker thread. Entries are sent without their texts (a few KB of keys instead of
 * every post's text) when the worker should hold their terms: those of its previous request, or
 * at first those of the terms file (from the build cache). The worker answers with the keys it
 * lacks, and those entries are sent again whole.
 */
export function startSearchWorker(termsFile?: string, language?: string): SearchWorker {
  const worker = new Worker(WORKER_URL, { workerData: { role: 'search', termsFile, language } });
  const waiting = new Map<number, { resolve: (b: BuiltIndex) => void; reject: (e: Error) => void; resend: (missing: string[]) => void }>();
  const saving = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  /** Keys of the last request sent: what the worker will hold terms for when it serves the next one. */
  let known = new Set<string>();
  /** Until the first request, the terms file is taken to hold every key. */
  let fromFile = termsFile !== undefined;
  let next = 0;
  const send = (id: number, entries: Sent[], language: string, gzip: GzipPlan, docsLater: boolean, whole: ReadonlySet<string> | null) => {
    const textless = (key: string | undefined) => key !== undefined && (whole ? !whole.has(key) : fromFile || known.has(key));
    // Many texts to send: they go ahead in chunks to be analysed, and the build names them by key.
    const texts = entries.filter((e) => e.key !== undefined && !textless(e.key)) as WholeEntry[];
    const ahead = texts.length > LEARN_CHUNK;
    for (let i = 0; ahead && i < texts.length; i += LEARN_CHUNK) worker.postMessage({ id, learn: texts.slice(i, i + LEARN_CHUNK), language } satisfies Request);
    const sent = entries.map((e): Sent => (textless(e.key) || (ahead && e.key !== undefined) ? { key: e.key!, doc: e.doc } : e));
    known = new Set(entries.flatMap((e) => (e.key === undefined ? [] : [e.key])));
    fromFile = false;
    worker.postMessage({ id, entries: sent, language, gzip, ...(docsLater ? { docsLater } : {}) } satisfies Request);
  };
  worker.on('message', (m: Reply) => {
    const save = saving.get(m.id);
    if (save) {
      saving.delete(m.id);
      return 'error' in m ? save.reject(new Error((m as { error: string }).error)) : save.resolve();
    }
    const w = waiting.get(m.id);
    if ('missing' in m) {
      // Sending reads the entries' texts, which may fail (a damaged cache): that fails this request, not the process.
      try {
        return w?.resend(m.missing);
      } catch (err) {
        waiting.delete(m.id);
        return w?.reject(err as Error);
      }
    }
    waiting.delete(m.id);
    if ('built' in m) return w?.resolve(m.built);
    known = new Set();
    w?.reject(new Error('error' in m ? m.error : 'the search worker failed'));
  });
  worker.on('error', (err) => {
    for (const w of [...waiting.values(), ...saving.values()]) w.reject(err);
    waiting.clear();
    saving.clear();
  });
  return {
    build(entries: Sent[], language: string, options: { gzip?: GzipPlan; docs?: Promise<SearchDoc[]>; whole?: ReadonlySet<string> } = {}) {
      const id = next++;
      const gzip = options.gzip ?? false;
      const later = options.docs !== undefined;
      let attempts = 0;
      return new Promise<BuiltIndex>((resolve, reject) => {
        // The missing entries go whole; should the worker lack yet others by then, everything does.
        const resend = (missing: string[]) => send(id, entries, language, gzip, later, ++attempts > 1 ? new Set(entries.map((e) => e.key ?? '')) : new Set(missing));
        waiting.set(id, { resolve, reject, resend });
        options.docs?.then(
          // Not for a build that failed meanwhile: the worker would keep them.
          (docs) => waiting.has(id) && worker.postMessage({ id, docs } satisfies Request),
          (err: Error) => {
            worker.postMessage({ id, docs: null } satisfies Request);
            if (waiting.delete(id)) reject(err);
          },
        );
        // Sending reads the entries' texts, which may fail (a damaged cache).
        try {
          send(id, entries, language, gzip, later, options.whole ?? null);
        } catch (err) {
          waiting.delete(id);
          if (later) worker.postMessage({ id, docs: null } satisfies Request);
          reject(err as Error);
        }
      });
    },
    saveTerms() {
      const id = next++;
      return new Promise((resolve, reject) => {
        saving.set(id, { resolve, reject });
        worker.postMessage({ id, save: true } satisfies Request);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

// Only in the thread started as the search worker: bundled, this module may share a file with others.
if (parentPort && (workerData as { role?: string } | null)?.role === 'search') {
  const port = parentPort;
  const { termsFile } = workerData as { termsFile?: string };
  const caches = new Map<string, TermCache>();
  let latest: TermCache | null = null;
  /** Why the terms file could not be used, told with the next index built. */
  let unreadable: string | undefined;
  /** The terms file's cache, when it is of this language (an unreadable one is as good as none). */
  const fromFile = (language: string): TermCache | null => {
    let bytes: Uint8Array;
    try {
      if (!termsFile) return null;
      bytes = fs.readFileSync(termsFile);
    } catch {
      return null;
    }
    try {
      const cache = TermCache.fromBytes(bytes);
      return cache.language === language ? cache : null;
    } catch (err) {
      unreadable = `${path.basename(termsFile)}: ${(err as Error).message}`;
      return null;
    }
  };
  /** Why analysing a request's texts ahead failed, by request. */
  const failedLearning = new Map<number, string>();
  /** Indexes waiting for their result cards, and cards that came before their index was ready, by request. */
  const prepared = new Map<number, { index: PreparedIndex; gzip: GzipPlan }>();
  const cards = new Map<number, SearchDoc[]>();
  /** Requests whose cards are still to come, and those of them answered with an error (their cards are not kept). */
  const expecting = new Set<number>();
  const failed = new Set<number>();
  const fail = (id: number, message: string) => {
    if (expecting.delete(id)) failed.add(id);
    prepared.delete(id);
    cards.delete(id);
    port.postMessage({ id, error: message } satisfies Reply);
  };
  /** Answers a request whose index could not be built: with the keys whose texts it lacks, or why it failed. */
  const refuse = (id: number, err: unknown) => {
    if (err instanceof MissingTermsError) port.postMessage({ id, missing: err.keys } satisfies Reply);
    else fail(id, (err as Error).message);
  };
  // Told the language up front, the worker reads the terms file while the build is still planning.
  const preload = (workerData as { language?: string }).language;
  if (preload) caches.set(preload, fromFile(preload) ?? new TermCache(preload));
  /** Builds an index (`make`), measures or estimates its gzipped size, and sends it to the main thread. */
  const complete = (id: number, make: () => BuiltIndex, gzip: GzipPlan) => {
    try {
      const index = make();
      const note = unreadable ? { unreadableTerms: unreadable } : {};
      unreadable = undefined;
      const earlier = typeof gzip === 'object' && Math.abs(index.bytes - gzip.bytes) <= gzip.bytes * ESTIMATE_WITHIN ? gzip : null;
      const size = earlier
        ? Promise.resolve({ gzipBytes: Math.round((earlier.gzipBytes * index.bytes) / earlier.bytes), measured: earlier })
        : gzip
          ? gzipSize(index.contents).then((gzipBytes) => ({ gzipBytes, measured: { bytes: index.bytes, gzipBytes } }))
          : Promise.resolve({ gzipBytes: -1 });
      void size.then(
        (sizes) => {
          const built: BuiltIndex = { ...index, ...sizes, ...note };
          // The index's bytes move to the main thread, not copied.
          port.postMessage({ id, built } satisfies Reply, [built.contents.buffer as ArrayBuffer]);
        },
        (err: Error) => fail(id, err.message),
      );
    } catch (err) {
      refuse(id, err);
    }
  };
  port.on('message', (request: Request) => {
    const { id } = request;
    if ('docs' in request) {
      // Dropped (null), or the cards that complete an index prepared before them (or to be).
      const { docs } = request;
      const waiting = prepared.get(id);
      prepared.delete(id);
      expecting.delete(id);
      if (failed.delete(id) || docs === null) cards.delete(id);
      else if (!waiting) cards.set(id, docs);
      else complete(id, () => waiting.index.finish(docs), waiting.gzip);
      return;
    }
    if ('save' in request) {
      try {
        if (termsFile && latest) writeWholeNow(termsFile, latest.toBytes());
        port.postMessage({ id, saved: true } satisfies Reply);
      } catch (err) {
        port.postMessage({ id, error: (err as Error).message } satisfies Reply);
      }
      return;
    }
    const language = request.language;
    let cache = caches.get(language);
    if (!cache) {
      cache = fromFile(language) ?? new TermCache(language);
      caches.set(language, cache);
    }
    if ('learn' in request) {
      // Nothing to answer: should this fail, the build request that follows fails with the reason.
      try {
        cache.learn(request.learn);
      } catch (err) {
        failedLearning.set(id, (err as Error).message);
      }
      return;
    }
    const { entries, gzip } = request;
    if (request.docsLater && !cards.has(id)) expecting.add(id);
    const unlearnt = failedLearning.get(id);
    failedLearning.delete(id);
    if (unlearnt !== undefined) {
      fail(id, unlearnt);
      return;
    }
    latest = cache;
    const target = cache;
    if (!request.docsLater) {
      complete(id, () => target.build(entries as SearchEntry[]), gzip);
      return;
    }
    try {
      const index = cache.prepare(entries);
      const docs = cards.get(id);
      cards.delete(id);
      if (docs) complete(id, () => index.finish(docs), gzip);
      else prepared.set(id, { index, gzip });
    } catch (err) {
      refuse(id, err);
    }
  });
}
