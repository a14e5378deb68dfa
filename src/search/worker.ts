import { parentPort, Worker } from 'node:worker_threads';
import type { BuiltIndex, SearchEntry } from './index.js';
import { TermCache } from './terms.js';

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
  entries: SearchEntry[];
  language: string;
}

/** Starts the worker thread. Its index sizes leave gzip out (`gzipBytes` is -1): watch mode does not report them. */
export function startSearchWorker(): SearchWorker {
  const worker = new Worker(WORKER_URL);
  const waiting = new Map<number, { resolve: (b: BuiltIndex) => void; reject: (e: Error) => void }>();
  let next = 0;
  worker.on('message', (m: { id: number; built?: BuiltIndex; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.built) w?.resolve(m.built);
    else w?.reject(new Error(m.error ?? 'the search worker failed'));
  });
  worker.on('error', (err) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  return {
    build(entries, language) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, entries, language } satisfies Request);
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
      const { json, bytes } = cache.build(entries);
      port.postMessage({ id, built: { json, bytes, gzipBytes: -1 } });
    } catch (err) {
      port.postMessage({ id, error: (err as Error).message });
    }
  });
}
