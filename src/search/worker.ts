import fs from 'node:fs';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { BuiltIndex, SearchEntry } from './index.js';
import { MissingTermsError, TermCache, type TextlessEntry } from './terms.js';

/** A long-lived thread that builds search indexes, keeping each entry's terms between builds. */
export interface SearchWorker {
  /** Builds an index; requests are served one at a time, in order. */
  build(entries: SearchEntry[], language: string): Promise<BuiltIndex>;
  /** Writes the terms the worker holds to its terms file (after the requests before it), if it has one. */
  saveTerms(): Promise<void>;
  close(): Promise<void>;
}

// The compiled worker, also when this module runs from src/ under the test runner (tests compile first).
const WORKER_URL = new URL('../../lib/search/worker.js', import.meta.url);

type Request = { id: number; entries: (SearchEntry | TextlessEntry)[]; language: string } | { id: number; save: true };

type Reply = { id: number; built: BuiltIndex } | { id: number; missing: true } | { id: number; saved: true } | { id: number; error: string };

/**
 * Starts the worker thread. Its index sizes leave gzip out (`gzipBytes` is -1): watch mode does
 * not report them. Entries the worker had in its previous request are sent without their texts
 * (a few KB of keys instead of every post's text); should it have lost them, the request is sent
 * again whole.
 */
export function startSearchWorker(termsFile?: string): SearchWorker {
  // A terms file (from the build cache) gives the worker every known text's terms from the start.
  const worker = new Worker(WORKER_URL, { workerData: { termsFile } });
  const waiting = new Map<number, { resolve: (b: BuiltIndex) => void; reject: (e: Error) => void; whole: () => void }>();
  const saving = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  /** Keys of the last request sent: what the worker will hold terms for when it serves the next one. */
  let known = new Set<string>();
  let next = 0;
  const send = (entries: SearchEntry[], language: string, strip: boolean, id: number) => {
    const sent = strip ? entries.map((e) => (e.key !== undefined && known.has(e.key) ? { key: e.key, doc: e.doc } : e)) : entries;
    known = new Set(entries.flatMap((e) => (e.key === undefined ? [] : [e.key])));
    worker.postMessage({ id, entries: sent, language } satisfies Request);
  };
  worker.on('message', (m: Reply) => {
    const save = saving.get(m.id);
    if (save) {
      saving.delete(m.id);
      return 'error' in m ? save.reject(new Error((m as { error: string }).error)) : save.resolve();
    }
    const w = waiting.get(m.id);
    if ('missing' in m) return w?.whole();
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
    build(entries, language) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, whole: () => send(entries, language, false, id) });
        send(entries, language, true, id);
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

if (parentPort) {
  const port = parentPort;
  const { termsFile } = workerData as { termsFile?: string };
  const caches = new Map<string, TermCache>();
  let latest: TermCache | null = null;
  /** The terms file's cache, when it is of this language (an unreadable one is as good as none). */
  const fromFile = (language: string): TermCache | null => {
    try {
      const cache = termsFile ? TermCache.fromBytes(fs.readFileSync(termsFile)) : null;
      return cache?.language === language ? cache : null;
    } catch {
      return null;
    }
  };
  port.on('message', (request: Request) => {
    const { id } = request;
    if ('save' in request) {
      try {
        if (termsFile && latest) {
          const tmp = `${termsFile}.tmp-${process.pid}`;
          fs.writeFileSync(tmp, latest.toBytes());
          fs.renameSync(tmp, termsFile);
        }
        port.postMessage({ id, saved: true } satisfies Reply);
      } catch (err) {
        port.postMessage({ id, error: (err as Error).message } satisfies Reply);
      }
      return;
    }
    const { entries, language } = request;
    try {
      let cache = caches.get(language);
      if (!cache) {
        cache = fromFile(language) ?? new TermCache(language);
        caches.set(language, cache);
      }
      latest = cache;
      const built = cache.build(entries);
      // The index's bytes move to the main thread, not copied.
      port.postMessage({ id, built } satisfies Reply, [built.contents.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage((err instanceof MissingTermsError ? { id, missing: true } : { id, error: (err as Error).message }) satisfies Reply);
    }
  });
}
