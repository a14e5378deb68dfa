import { parentPort, workerData } from 'node:worker_threads';
import type { SiteConfig } from '../config/types.js';
import { loadParser, readSource, type ParseReply, type ParseRequest } from './parse.js';

// A thread of the parse stage (see `parseInWorkers`): parses the sources it is sent with the
// build's config, reading those it is not sent the bytes of, and answers with their parse results
// in order (null for a file it could not read).
if (parentPort && (workerData as { role?: string } | null)?.role === 'parse') {
  const port = parentPort;
  const config = (workerData as { config: SiteConfig }).config;
  const parse = await loadParser(config);
  port.on('message', (items: ParseRequest) => {
    try {
      const results = items.map(({ source, read = readSource(source) }) => {
        return read.bytes ? { sourceHash: read.sourceHash, result: parse(source, read.bytes) } : null;
      });
      port.postMessage({ results } satisfies ParseReply);
    } catch (err) {
      port.postMessage({ error: (err as Error).stack ?? String(err) } satisfies ParseReply);
    }
  });
}
