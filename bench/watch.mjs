// Watch benchmark: on a generated site, the time from saving a post to its updated page in the
// output folder, and to the updated search index. Runs the real `gi-build --watch` in a child
// process, so the clock here is not held up by the build's own work.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileName, writeCorpus } from './corpus.mjs';
import { retire } from './trash.mjs';

const BIN = fileURLToPath(new URL('../bin/gi-build.js', import.meta.url));

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function until(check, timeoutMs, everyMs) {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await check()) return performance.now();
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('timed out');
}

/** Runs the watch benchmark on `posts` generated posts; returns figures for RESULTS.md. */
export async function benchWatch({ posts = 4000, edits = 5 } = {}) {
  const root = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-bench-watch-')), 'site');
  await writeCorpus(root, posts);
  const child = spawn(process.execPath, [BIN, '--watch'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', () => {});
  const t0 = performance.now();
  await until(async () => out.includes('Press Ctrl-C'), 600_000, 50);
  const pagesReady = performance.now() - t0;
  await until(async () => out.includes('search index ready'), 600_000, 50);
  const firstBuild = performance.now() - t0;
  const lines = [];
  const toPage = [];
  const toIndex = [];
  const indexFile = path.join(root, 'dist/search/index.json');
  try {
    for (let i = 0; i < edits; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const n = 100 + i * 37;
      const file = path.join(root, 'posts', fileName(n));
      const marker = `benchmarkmarker${i}x${Date.now()}`;
      const page = path.join(root, 'dist/posts', `post-${n}`, 'index.html');
      const text = await fs.readFile(file, 'utf8');
      const mark = out.length;
      const saved = performance.now();
      await fs.writeFile(file, `${text}\n${marker}\n`);
      const pageAt = await until(async () => (await fs.readFile(page, 'utf8').catch(() => '')).includes(marker), 60_000, 1);
      const indexAt = await until(async () => (await fs.readFile(indexFile, 'utf8')).includes(marker.toLowerCase()), 120_000, 20);
      toPage.push(pageAt - saved);
      toIndex.push(indexAt - saved);
      lines.push(...out.slice(mark).trim().split('\n'));
      console.log(`watch: edit ${i + 1}: page in ${(pageAt - saved).toFixed(0)} ms, search index in ${((indexAt - saved) / 1000).toFixed(2)} s`);
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.on('close', r));
    await retire(path.dirname(root));
  }
  return { posts, firstBuild, pagesReady, toPage, toIndex, lines };
}

/** The RESULTS.md section for these figures. */
export function watchSection(r) {
  return [
    '## Watch mode',
    '',
    `A generated site of ${r.posts} posts (~800 words each) under \`gi-build --watch\`, run as its own process. One post at a time is saved with a new word; timed from the save until the word is in the post's page in \`dist/\`, and until it is in \`search/index.json\` (built in a worker thread after the pages). ${r.toPage.length} edits of different posts. On start, the pages were written after ${(r.pagesReady / 1000).toFixed(1)} s and the search index (built by the worker, which keeps every post's terms for the rebuilds) after ${(r.firstBuild / 1000).toFixed(1)} s.`,
    '',
    '| measure | median | all runs | target |',
    '| --- | ---: | --- | ---: |',
    `| save → page in dist/ | ${median(r.toPage).toFixed(0)} ms | ${r.toPage.map((t) => t.toFixed(0)).join(', ')} ms | 100 ms |`,
    `| save → search index | ${(median(r.toIndex) / 1000).toFixed(1)} s | ${r.toIndex.map((t) => (t / 1000).toFixed(1)).join(', ')} s | 2 s |`,
    '',
    'What gi-build printed for these edits:',
    '',
    '```',
    ...r.lines.map((l) => l.replace(/^\d\d:\d\d:\d\d /, '')),
    '```',
  ].join('\n');
}
