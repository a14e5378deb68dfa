import { parentPort, workerData } from 'node:worker_threads';
import type { SiteConfig } from '../config/types.js';
import { loadParser, readSource, type ParseReply, type ParseRequest } from './parse.js';

// A thread of the parse stage (see `parseInWorkers`): parses the sources it is sent with the
// build's config, reading those it is not sent the bytes of, and answers with their parse results
// in order (null for a file it could not read). It keeps in `slot` which source it is parsing.
if (parentPort && (workerData as { role?: string } | null)?.role === 'parse') {
  const port = parentPort;
  const { config, slot } = workerData as { config: SiteConfig; slot: Int32Array };
  const parse = await loadParser(config);
  port.on('message', (items: ParseRequest) => {
    try {
      const results = items.map(({ index, source, read }) => {
        // Which source is being read and parsed, for the main thread to stop this worker if it takes too long.
        Atomics.store(slot, 0, index + 1);
        const { bytes, sourceHash } = read ?? readSource(source);
        return bytes ? { sourceHash, result: parse(source, bytes) } : null;
      });
      Atomics.store(slot, 0, 0);
      port.postMessage({ results } satisfies ParseReply);
    } catch (err) {
      port.postMessage({ error: (err as Error).stack ?? String(err) } satisfies ParseReply);
    }
  });
}
