// Peer benchmark: the cold build time of other static site generators on the same generated posts
// as gi-build — Eleventy 3 (installed into bench/peers/ by its own package.json) and Hugo (when a
// `hugo` binary is on PATH). Each gets a minimal site written here: one page per post from the
// same Markdown files in a one-file layout, and nothing else.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeNode, timeProcess } from './build.mjs';
import { retire } from './trash.mjs';

const PEERS = fileURLToPath(new URL('./peers/', import.meta.url));
const ELEVENTY_PKG = path.join(PEERS, 'node_modules/@11ty/eleventy/package.json');
const GNU_TIME = '/usr/bin/time';

const ELEVENTY_CONFIG = `// Written by bench/peers.mjs: every post gets the one layout; posts are plain Markdown, as in
// gi-build, so they are not run through Liquid first.
export default function (eleventyConfig) {
  eleventyConfig.addGlobalData('layout', 'post.liquid');
  return { markdownTemplateEngine: false, dir: { input: '.', includes: '_includes', output: '_site' } };
}
`;

const ELEVENTY_LAYOUT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><p>{{ summary }}</p>{{ content }}</main></body></html>
`;

// Only the pages of posts (and the home and section lists Hugo always makes): no tag pages,
// feeds or sitemap. buildFuture keeps every dated post whatever the clock says.
const HUGO_CONFIG = `baseURL = "https://bench.example/"
title = "Benchmark"
buildFuture = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
`;

const HUGO_SINGLE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}</main></body></html>
`;

const HUGO_LIST = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body></body></html>
`;

/** Installs bench/peers/ (Eleventy) with npm when its node_modules is missing. */
export async function ensurePeers() {
  if (await exists(ELEVENTY_PKG)) return;
  console.log('peers: installing bench/peers (npm install --prefix bench/peers)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['install', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`npm install --prefix bench/peers exited with ${code}`);
}

async function exists(file) {
  return fs.access(file).then(() => true, () => false);
}

/** The path of `name` on PATH, or null. */
async function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    if (await fs.access(file, fs.constants.X_OK).then(() => true, () => false)) return file;
  }
  return null;
}

/** The versions of the peers: Eleventy's from its package.json, Hugo's from `hugo version` (null when absent). */
export async function peerVersions() {
  const eleventy = (await exists(ELEVENTY_PKG)) ? JSON.parse(await fs.readFile(ELEVENTY_PKG, 'utf8')).version : null;
  const hugoBin = await onPath('hugo');
  let hugo = null;
  if (hugoBin) {
    const { stdout } = await timeProcess(hugoBin, ['version']);
    hugo = /v(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? stdout.trim();
  }
  return { eleventy, hugo };
}

/** How many folders under `dir` hold an index.html: one per post page. */
async function countPages(dir) {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  let pages = 0;
  for (const e of entries) if (e.isDirectory() && (await exists(path.join(dir, e.name, 'index.html')))) pages++;
  return pages;
}

function pageNote(pages, n) {
  return pages === n ? undefined : `wrote ${pages} post pages for ${n} posts`;
}

async function eleventy(root, n, version) {
  const site = path.join(path.dirname(root), 'eleventy');
  await retire(site);
  await fs.mkdir(path.join(site, '_includes'), { recursive: true });
  await fs.cp(path.join(root, 'posts'), path.join(site, 'posts'), { recursive: true });
  await fs.writeFile(path.join(site, 'eleventy.config.mjs'), ELEVENTY_CONFIG);
  await fs.writeFile(path.join(site, '_includes/post.liquid'), ELEVENTY_LAYOUT);
  const cmd = path.join(PEERS, 'node_modules/@11ty/eleventy/cmd.cjs');
  const run = await timeNode([cmd, '--quiet'], { cwd: site });
  const pages = await countPages(path.join(site, '_site/posts'));
  await retire(site);
  return { name: 'Eleventy', version, ms: run.ms, rss: run.rss, pages, targetRatio: 1.5, note: pageNote(pages, n) };
}

async function hugo(root, n, version, hugoBin) {
  const site = path.join(path.dirname(root), 'hugo');
  await retire(site);
  await fs.mkdir(path.join(site, 'layouts/_default'), { recursive: true });
  await fs.cp(path.join(root, 'posts'), path.join(site, 'content/posts'), { recursive: true });
  await fs.writeFile(path.join(site, 'config.toml'), HUGO_CONFIG);
  await fs.writeFile(path.join(site, 'layouts/_default/single.html'), HUGO_SINGLE);
  await fs.writeFile(path.join(site, 'layouts/_default/list.html'), HUGO_LIST);
  const args = ['--quiet', '--destination', path.join(site, 'public'), '--cacheDir', path.join(site, '.hugo-cache')];
  // GNU time, when present, reports Hugo's peak RSS (kilobytes) on stderr; Hugo is not a Node process.
  const timed = await exists(GNU_TIME);
  const run = timed
    ? await timeProcess(GNU_TIME, ['-f', 'gi-bench-maxrss %M', hugoBin, ...args], { cwd: site })
    : await timeProcess(hugoBin, args, { cwd: site });
  const kb = /gi-bench-maxrss (\d+)/.exec(run.stderr)?.[1];
  const pages = await countPages(path.join(site, 'public/posts'));
  await retire(site);
  return { name: 'Hugo', version, ms: run.ms, rss: kb ? Number(kb) * 1024 : null, pages, note: pageNote(pages, n) };
}

/** Times each peer's cold build of the posts of the site in `root` (`n` posts); returns one record per peer. */
export async function benchPeers(root, n) {
  const versions = await peerVersions();
  const results = [];
  const hugoBin = await onPath('hugo');
  const peers = [
    { name: 'Eleventy', version: versions.eleventy, run: () => eleventy(root, n, versions.eleventy), skip: versions.eleventy ? null : 'bench/peers is not installed' },
    { name: 'Hugo', version: versions.hugo, run: () => hugo(root, n, versions.hugo, hugoBin), skip: hugoBin ? null : 'no hugo on PATH' },
  ];
  for (const peer of peers) {
    if (peer.skip) {
      console.log(`peers: ${n} posts: ${peer.name} skipped: ${peer.skip}`);
      results.push({ name: peer.name, version: peer.version, skipped: peer.skip });
      continue;
    }
    try {
      const r = await peer.run();
      console.log(`peers: ${n} posts: ${r.name} ${r.version} cold build ${(r.ms / 1000).toFixed(2)} s${r.rss ? `, peak RSS ${(r.rss / 2 ** 20).toFixed(0)} MB` : ''}, ${r.pages} post pages${r.note ? ` (${r.note})` : ''}`);
      results.push(r);
    } catch (error) {
      console.log(`peers: ${n} posts: ${peer.name} failed: ${error.message}`);
      results.push({ name: peer.name, version: peer.version, error: error.message.split('\n')[0].slice(0, 300) });
    }
  }
  return results;
}

/** The paragraph of RESULTS.md that says what the peers build. */
export function peersText() {
  return [
    'Peers build the same posts, copied into a minimal site of their own, cold (a fresh folder each time), as a child process timed from spawn to exit:',
    '',
    '- Eleventy (`bench/peers/package.json`, run as `node …/@11ty/eleventy/cmd.cjs --quiet`): `eleventy.config.mjs` gives every post one Liquid layout (title, summary, content) and sets `markdownTemplateEngine: false`, so posts are plain Markdown as in gi-build. The posts\' `tags` become Eleventy collections but no pages. Peak RSS by the same `--import` hook as gi-build.',
    '- Hugo (the `hugo` on PATH; skipped when there is none): the posts under `content/posts/`, a `single.html` and an empty `list.html` layout, and taxonomies, RSS, sitemap, robots.txt and 404 turned off, so it writes one page per post plus the home and section lists. The front matter is used as it is (Hugo accepts every field). Peak RSS from GNU time (`/usr/bin/time -f %M`) when present.',
    '',
    'gi-build\'s cold build does more than either peer: tag, author, series, archive and paginated index pages, three feeds, the sitemap, links between posts resolved to their pages, and the search index. The ratio is gi-build\'s cold build ÷ the peer\'s; the stretch target is ≤ 1.5 against Eleventy.',
  ].join('\n');
}
