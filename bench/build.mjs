// Build benchmark: on a generated site of N posts, gi-build's cold build, a repeat build with
// nothing changed and a repeat build after one edited post, each the real CLI in its own process,
// with the peak RSS of each run and the size of the search index. Beside it, the bare Markdown
// pipeline (remark-parse → remark-rehype → rehype-stringify over every post body, one thread) as
// the baseline a cold build is compared with, and the peers from bench/peers.mjs when given.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { fileName, writeCorpus } from './corpus.mjs';
import { retire } from './trash.mjs';

const BIN = fileURLToPath(new URL('../bin/gi-build.js', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const EDIT_WORD = 'benchmarkeditword';

// Loaded into a child with `node --import`: on exit, writes the process's peak resident set
// (kilobytes; the whole process, so worker threads are included) to the file named by the env.
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import fs from 'node:fs'; process.on('exit', () => fs.writeFileSync(process.env.GI_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));",
)}`;

let rssFiles = 0;

/** Runs `command` in `cwd` as a child process and resolves with its wall time and output; rejects unless it exits with 0. */
export function timeProcess(command, args, { cwd, env = {}, timeoutMs = 3_600_000, label = [path.basename(command), ...args].join(' ') } = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      if (code === 0) return resolve({ ms, stdout, stderr });
      const why = signal ? `was stopped by ${signal}${signal === 'SIGTERM' ? ` (time limit ${timeoutMs / 1000} s)` : ''}` : `exited with ${code}`;
      reject(new Error(`${label} ${why}: ${(stderr || stdout).trim().slice(-1500)}`));
    });
  });
}

/** Runs a Node script as a child process, like timeProcess, and adds its peak RSS in bytes. */
export async function timeNode(args, options = {}) {
  const rssFile = path.join(os.tmpdir(), `gi-build-bench-rss-${process.pid}-${rssFiles++}`);
  try {
    const env = { ...options.env, GI_BENCH_RSS_FILE: rssFile };
    const run = await timeProcess(process.execPath, ['--import', RSS_HOOK, ...args], { label: `node ${args.join(' ')}`, ...options, env });
    return { ...run, rss: Number(await fs.readFile(rssFile, 'utf8')) * 1024 };
  } finally {
    await fs.rm(rssFile, { force: true });
  }
}

/** One run of the gi-build CLI in the site folder `root`. */
async function giBuild(root) {
  const run = await timeNode([BIN], { cwd: root });
  return { ms: run.ms, rss: run.rss, said: run.stdout.trim().split('\n').at(-1) };
}

async function indexSize(root) {
  const json = await fs.readFile(path.join(root, 'dist/search/index.json'));
  return { raw: json.length, gzip: zlib.gzipSync(json).length };
}

/** The bare pipeline over every post body in `postsDir`, in a child process of its own. */
async function bareBaseline(postsDir) {
  const run = await timeNode([SELF, '--bare-pipeline', postsDir]);
  return { ...JSON.parse(run.stdout.trim().split('\n').at(-1)), rss: run.rss, processMs: run.ms };
}

/** Measures gi-build (and `peers`, if given) on a fresh corpus of `n` posts; returns one row of figures. */
async function benchSize(n, peers) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-bench-build-'));
  const root = path.join(tmp, 'site');
  try {
    console.log(`build: writing a corpus of ${n} posts…`);
    await writeCorpus(root, n);
    const bare = await bareBaseline(path.join(root, 'posts'));
    console.log(`build: ${n} posts: bare pipeline ${seconds(bare.ms)} (${bare.posts} bodies, process ${seconds(bare.processMs)}, peak RSS ${mb(bare.rss)})`);

    await retire(path.join(root, 'dist'));
    await retire(path.join(root, '.gi-cache'));
    const cold = await giBuild(root);
    console.log(`build: ${n} posts: cold ${seconds(cold.ms)}, peak RSS ${mb(cold.rss)} — ${cold.said}`);
    const index = await indexSize(root);
    const repeat = await giBuild(root);
    console.log(`build: ${n} posts: repeat ${seconds(repeat.ms)}, peak RSS ${mb(repeat.rss)} — ${repeat.said}`);

    const edited = Math.floor(n / 2);
    await fs.appendFile(path.join(root, 'posts', fileName(edited)), `\n${EDIT_WORD}\n`);
    const editOne = await giBuild(root);
    const page = await fs.readFile(path.join(root, 'dist/posts', `post-${edited}`, 'index.html'), 'utf8');
    if (!page.includes(EDIT_WORD)) throw new Error(`the build after editing post ${edited} did not update its page`);
    console.log(`build: ${n} posts: edit one ${seconds(editOne.ms)}, peak RSS ${mb(editOne.rss)} — ${editOne.said}`);
    console.log(`build: ${n} posts: search index ${kb(index.raw)} raw, ${kb(index.gzip)} gzip; cold ÷ bare pipeline = ${(cold.ms / bare.ms).toFixed(2)}`);

    const row = { posts: n, cold, repeat, editOne, index, bare, peers: null };
    if (peers) row.peers = await peers(root, n);
    return row;
  } finally {
    await retire(tmp);
  }
}

/**
 * Runs the build benchmark for each size in `sizes`; `peers(root, n)`, if given, times
 * other generators on the same corpus and returns their figures.
 */
export async function benchBuild({ sizes = [1000, 4000], peers } = {}) {
  const rows = [];
  for (const n of sizes) {
    // A size that fails (out of memory at 50,000, say) is a finding; the other sizes still count.
    try {
      rows.push(await benchSize(n, peers));
    } catch (error) {
      console.log(`build: ${n} posts failed: ${error.message}`);
      rows.push({ posts: n, error: error.message.split('\n')[0].slice(0, 500) });
    }
  }
  return rows;
}

function seconds(ms) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function mb(bytes) {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

function ratio(a, b) {
  return (a / b).toFixed(2);
}

function met(ok) {
  return ok ? 'yes' : 'no';
}

/** The peak-RSS target for a site of `n` posts, if the issue sets one. */
function rssTarget(n) {
  if (n === 4000) return { bytes: 300 * 2 ** 20, text: 'peak RSS ≤ 300 MB' };
  if (n === 50000) return { bytes: 2 * 2 ** 30, text: 'peak RSS ≤ 2 GB' };
  return null;
}

function sizeTable(r) {
  const n = r.posts.toLocaleString('en-GB');
  if (r.error) return `### ${n} posts\n\nThe run failed: ${r.error}`;
  const rss = rssTarget(r.posts);
  const peak = Math.max(r.cold.rss, r.repeat.rss, r.editOne.rss);
  const lines = [
    `### ${n} posts`,
    '',
    '| measure | time | peak RSS | ratio | target | met |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    `| gi-build, cold build | ${seconds(r.cold.ms)} | ${mb(r.cold.rss)} | | ${rss ? rss.text : ''} | ${rss ? met(peak <= rss.bytes) : ''} |`,
    `| gi-build, repeat build, nothing changed | ${seconds(r.repeat.ms)} | ${mb(r.repeat.rss)} | | ≤ 1 s | ${met(r.repeat.ms <= 1000)} |`,
    `| gi-build, repeat build after editing one post | ${seconds(r.editOne.ms)} | ${mb(r.editOne.rss)} | | ≤ 1.5 s | ${met(r.editOne.ms <= 1500)} |`,
    `| bare pipeline, one thread | ${seconds(r.bare.ms)} | ${mb(r.bare.rss)} | cold ÷ bare ${ratio(r.cold.ms, r.bare.ms)} | ratio ≤ 1.0 | ${met(r.cold.ms <= r.bare.ms)} |`,
  ];
  for (const peer of r.peers ?? []) {
    const name = `${peer.name}${peer.version ? ` ${peer.version}` : ''}, cold build`;
    if (peer.error) lines.push(`| ${name} | failed | | | | |`);
    else if (peer.skipped) lines.push(`| ${name} | not run: ${peer.skipped} | | | | |`);
    else {
      const target = peer.targetRatio ? `ratio ≤ ${peer.targetRatio} (stretch)` : '';
      lines.push(`| ${name} | ${seconds(peer.ms)} | ${peer.rss ? mb(peer.rss) : '—'} | cold ÷ ${peer.name} ${ratio(r.cold.ms, peer.ms)} | ${target} | ${peer.targetRatio ? met(r.cold.ms / peer.ms <= peer.targetRatio) : ''} |`);
    }
  }
  lines.push('', `Search index (\`dist/search/index.json\`): ${kb(r.index.raw)} raw, ${kb(r.index.gzip)} gzip (zlib, default level).`);
  const said = [`cold: ${r.cold.said}`, `repeat: ${r.repeat.said}`, `edit one: ${r.editOne.said}`];
  lines.push('', 'What gi-build printed:', '', '```', ...said, '```');
  const notes = (r.peers ?? []).filter((p) => p.error || p.note).map((p) => `- ${p.name}: ${p.error ?? p.note}`);
  if (notes.length) lines.push('', ...notes);
  return lines.join('\n');
}

/** The RESULTS.md section for these rows; `peersText` describes the peer sites, if any ran. */
export function buildSection(rows, peersText = '') {
  return [
    '## Build',
    '',
    'Generated sites of N posts (~800 words each, `bench/corpus.mjs`), in a temporary folder; the folders of finished runs (sites, peers\' copies) are moved aside and deleted only after the last figure, since creating files on a disk still busy with a large deletion was measured 5–20× slower (`bench/trash.mjs`). Every gi-build figure is one run of `node bin/gi-build.js` in the site folder as its own child process, timed from spawn to exit (so Node start-up is included). Cold: no `dist/` and no `.gi-cache/`. Repeat: the same command again with nothing changed. Edit one: one word appended to the body of post N/2, then the same command (the bench checks the word reached that post\'s page). Peak RSS is `process.resourceUsage().maxRSS` of the child, written on exit by a hook loaded with `node --import` (the whole process, worker threads included).',
    '',
    'The bare pipeline is the baseline for a cold build: `unified().use(remark-parse).use(remark-rehype).use(rehype-stringify)` run on every post\'s Markdown body (front matter stripped) one after the other on one thread of one child process; the time is the processing loop only (reading the files beforehand is not counted), with no templates and nothing written. The issue\'s target is cold build ÷ bare pipeline ≤ 1.0.',
    ...(peersText ? ['', peersText] : []),
    '',
    'Targets from the issue, shown beside the figures: repeat build ≤ 1 s; edit one ≤ 1.5 s; peak RSS ≤ 300 MB at 4,000 posts and within 2 GB at 50,000 (the largest of the three gi-build runs counts); cold ÷ bare pipeline ≤ 1.0; cold ÷ Eleventy ≤ 1.5 (a stretch target).',
    '',
    ...rows.flatMap((r) => [sizeTable(r), '']),
  ].join('\n').trimEnd();
}

function stripFrontMatter(text) {
  const m = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

/** Child-process mode: runs the bare pipeline over every post in `postsDir`, prints JSON figures. */
async function runBarePipeline(postsDir) {
  const [{ unified }, { default: remarkParse }, { default: remarkRehype }, { default: rehypeStringify }] = await Promise.all([
    import('unified'),
    import('remark-parse'),
    import('remark-rehype'),
    import('rehype-stringify'),
  ]);
  const names = (await fs.readdir(postsDir)).filter((f) => f.endsWith('.md')).sort();
  const bodies = [];
  for (const name of names) bodies.push(stripFrontMatter(await fs.readFile(path.join(postsDir, name), 'utf8')));
  const processor = unified().use(remarkParse).use(remarkRehype).use(rehypeStringify);
  let htmlChars = 0;
  const start = performance.now();
  for (const body of bodies) htmlChars += String(processor.processSync(body)).length;
  const ms = performance.now() - start;
  console.log(JSON.stringify({ ms, posts: bodies.length, htmlChars }));
}

if (process.argv[1] === SELF && process.argv[2] === '--bare-pipeline') await runBarePipeline(process.argv[3]);
