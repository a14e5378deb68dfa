import { parentPort, Worker } from 'node:worker_threads';
import type { BuiltIndex, SearchEntry } from './index.js';
import { MissingTermsError, TermCache, type TextlessEntry } from './terms.js';

/** A long-lived thread that builds search indexes, keeping each entry's terms between builds. */
export interface SearchWorker {
  /** Builds an index; requests are served one at a time, in order. */
  build(entries: SearchEntry[], language: string): Promise<BuiltIndex>;
  close(): Promise<void>;
}

// The compiled worker, also when this module runs from src/ under the test runner (tests compile first).
const WORKER_URL = new URL('../../lib/search/worker.js', import.meta.url);

interface Request {
  id: number;
  entries: (SearchEntry | TextlessEntry)[];
  language: string;
}

type Reply = { id: number; built: BuiltIndex } | { id: number; missing: true } | { id: number; error: string };

/**
 * Starts the worker thread. Its index sizes leave gzip out (`gzipBytes` is -1): watch mode does
 * not report them. Entries the worker had in its previous request are sent without their texts
 * (a few KB of keys instead of every post's text); should it have lost them, the request is sent
 * again whole.
 */
export function startSearchWorker(): SearchWorker {
  const worker = new Worker(WORKER_URL);
  const waiting = new Map<number, { resolve: (b: BuiltIndex) => void; reject: (e: Error) => void; whole: () => void }>();
  /** Keys of the last request sent: what the worker will hold terms for when it serves the next one. */
  let known = new Set<string>();
  let next = 0;
  const send = (entries: SearchEntry[], language: string, strip: boolean, id: number) => {
    const sent = strip ? entries.map((e) => (e.key !== undefined && known.has(e.key) ? { key: e.key, doc: e.doc } : e)) : entries;
    known = new Set(entries.flatMap((e) => (e.key === undefined ? [] : [e.key])));
    worker.postMessage({ id, entries: sent, language } satisfies Request);
  };
  worker.on('message', (m: Reply) => {
    const w = waiting.get(m.id);
    if ('missing' in m) return w?.whole();
    waiting.delete(m.id);
    if ('built' in m) return w?.resolve(m.built);
    known = new Set();
    w?.reject(new Error(m.error));
  });
  worker.on('error', (err) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  return {
    build(entries, language) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, whole: () => send(entries, language, false, id) });
        send(entries, language, true, id);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

if (parentPort) {
  const port = parentPort;
  const caches = new Map<string, TermCache>();
  port.on('message', ({ id, entries, language }: Request) => {
    try {
      let cache = caches.get(language);
      if (!cache) {
        cache = new TermCache(language);
        caches.set(language, cache);
      }
      const built = cache.build(entries);
      // The index's bytes move to the main thread, not copied.
      port.postMessage({ id, built } satisfies Reply, [built.contents.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage((err instanceof MissingTermsError ? { id, missing: true } : { id, error: (err as Error).message }) satisfies Reply);
    }
  });
}
