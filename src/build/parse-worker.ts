import { parentPort, workerData } from 'node:worker_threads';
import type { SiteConfig } from '../config/types.js';
import type { SourceFile } from '../content/discover.js';
import { parseText } from '../content/post.js';
import { markdownRenderer, type ParseReply } from './parse.js';

// A thread of the parse stage (see `parseInWorkers`): parses the sources it is sent with the
// build's config, and answers with their parse results, in order.
if (parentPort) {
  const port = parentPort;
  const config = (workerData as { config: SiteConfig }).config;
  const render = markdownRenderer(config);
  port.on('message', (items: { source: SourceFile; bytes: Uint8Array }[]) => {
    try {
      port.postMessage({ results: items.map(({ source, bytes }) => parseText(source, bytes, config, render)) } satisfies ParseReply);
    } catch (err) {
      port.postMessage({ error: (err as Error).stack ?? String(err) } satisfies ParseReply);
    }
  });
}
