import { parentPort, Worker, workerData } from 'node:worker_threads';
import { buildSearchIndex, type BuiltIndex, type SearchEntry } from './index.js';

/** A search index being built in a worker thread. */
export interface IndexJob {
  result: Promise<BuiltIndex | null>;
  /** Stops the worker; `result` then resolves to null. */
  cancel(): void;
}

// The compiled worker, also when this module runs from src/ under the test runner (tests compile first).
const WORKER_URL = new URL('../../lib/search/worker.js', import.meta.url);

/** Builds an index in a worker thread, so a watch loop stays free to rebuild pages meanwhile. */
export function buildInWorker(entries: SearchEntry[], language: string): IndexJob {
  const worker = new Worker(WORKER_URL, { workerData: { entries, language } });
  let cancelled = false;
  const result = new Promise<BuiltIndex | null>((resolve, reject) => {
    worker.once('message', (built: BuiltIndex) => resolve(built));
    worker.once('error', reject);
    worker.once('exit', () => resolve(null));
  });
  return {
    result: result.then((r) => (cancelled ? null : r)),
    cancel() {
      cancelled = true;
      void worker.terminate();
    },
  };
}

if (parentPort && workerData?.entries) {
  const { entries, language } = workerData as { entries: SearchEntry[]; language: string };
  parentPort.postMessage(buildSearchIndex(entries, language));
}
