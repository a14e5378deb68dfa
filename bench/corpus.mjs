// A deterministic corpus of blog posts for benchmarks: the same N always gives the same files.
import fs from 'node:fs/promises';
import path from 'node:path';

/** A small seeded PRNG (mulberry32), so every run writes the same corpus. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['co', 'pro', 'duc', 'tion', 'ser', 'vice', 'com', 'mu', 'ni', 'ty', 'care', 'plan', 'ten', 'ant', 'hou', 'sing', 'pub', 'lic', 'de', 'sign', 'val', 'ue', 'par', 'ti', 'ci', 'pa', 'lo', 'cal', 'coun', 'cil', 'shar', 'ed', 'work', 'er', 'ing', 'fund', 'net', 'learn', 'trust', 'voice'];
const COMMON = ['the', 'and', 'of', 'to', 'in', 'with', 'for', 'people', 'services', 'together', 'we', 'they', 'is', 'was', 'a', 'on', 'that', 'their', 'our', 'from'];
const AUTHORS = ['Ruth Abernethy', 'Kofi Mensah', 'Liisa Mäkelä', 'Daniel Okafor', 'Grace Achieng', 'Marieke van Dijk', 'Owen Gallagher', 'Hannah Pryce', 'Sofía Quintero', 'Jonas Schäfer'];
const TAGS = ['health', 'housing', 'community', 'international', 'evaluation', 'young people', 'social care', 'network news', 'data', 'policy', 'training', 'funding'];
const SERIES = ['Co-production Around the World', 'Lessons from the Front Line', 'Data for Everyone', 'Housing Futures'];

function wordMaker(rand) {
  const vocab = Array.from({ length: 3000 }, () => {
    const n = 1 + Math.floor(rand() * 3);
    return Array.from({ length: n }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join('');
  });
  return () => (rand() < 0.35 ? COMMON[Math.floor(rand() * COMMON.length)] : vocab[Math.floor(rand() * vocab.length)]);
}

function sentence(rand, word, min = 8, max = 20) {
  const n = min + Math.floor(rand() * (max - min));
  const words = Array.from({ length: n }, word);
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  if (rand() < 0.2) words[2] = `*${words[2]}*`;
  if (rand() < 0.1) words[4] = `**${words[4]}**`;
  return `${words.join(' ')}.`;
}

/** The Markdown of post number `i` of the corpus, with about `words` words of body. */
export function makePost(i, words = 800, seed = 1) {
  const rand = random(seed * 100_003 + i);
  const word = wordMaker(random(seed));
  const year = 2010 + (i % 15);
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + (i % 28)).padStart(2, '0');
  const title = sentence(rand, word, 3, 8).replace(/\*|\.$/g, '');
  const authors = rand() < 0.2 ? [AUTHORS[i % AUTHORS.length], AUTHORS[(i + 3) % AUTHORS.length]] : [AUTHORS[i % AUTHORS.length]];
  const tags = [TAGS[i % TAGS.length], TAGS[(i * 7) % TAGS.length]].filter((t, k, all) => all.indexOf(t) === k);
  const series = i % 9 === 0 ? SERIES[i % SERIES.length] : null;
  const blocks = [];
  let count = 0;
  while (count < words) {
    const r = rand();
    let block;
    if (r < 0.1) block = `## ${sentence(rand, word, 2, 5).replace(/\*|\.$/g, '')}`;
    else if (r < 0.18) block = Array.from({ length: 3 + Math.floor(rand() * 3) }, () => `- ${sentence(rand, word, 4, 10)}`).join('\n');
    else if (r < 0.22) block = `> ${sentence(rand, word)}`;
    else if (r < 0.25) block = `| Area | Projects | People |\n| --- | ---: | ---: |\n| ${word()} | ${Math.floor(rand() * 20)} | ${Math.floor(rand() * 200)} |\n| ${word()} | ${Math.floor(rand() * 20)} | ${Math.floor(rand() * 200)} |`;
    else if (r < 0.28 && i > 0) block = `See also [an earlier post](${fileName(i - 1)}) and [our guide](https://example.org/guide/${i}).`;
    else block = Array.from({ length: 3 + Math.floor(rand() * 3) }, () => sentence(rand, word)).join(' ');
    blocks.push(block);
    count += block.split(/\s+/).length;
  }
  const front = [
    '---',
    `title: ${JSON.stringify(title)}`,
    `date: ${year}-${month}-${day}`,
    `author: ${JSON.stringify(authors)}`,
    `tags: ${JSON.stringify(tags)}`,
    ...(series ? [`series: ${JSON.stringify(series)}`, 'guest: true', 'authorRole: "Guest author"'] : []),
    `summary: ${JSON.stringify(sentence(rand, word, 12, 24))}`,
    '---',
  ];
  return `${front.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

/** The file name of post `i`. */
export function fileName(i) {
  const year = 2010 + (i % 15);
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + (i % 28)).padStart(2, '0');
  return `${year}-${month}-${day}-post-${i}.md`;
}

/** Writes a site of `n` posts into `root` (posts/ and a config). */
export async function writeCorpus(root, n, words = 800) {
  await fs.rm(root, { recursive: true, force: true });
  await fs.mkdir(path.join(root, 'posts'), { recursive: true });
  await fs.writeFile(path.join(root, 'gi-build.config.json'), JSON.stringify({ title: `Benchmark (${n} posts)`, baseUrl: 'https://bench.example', timeZone: 'Europe/London' }));
  for (let i = 0; i < n; i++) await fs.writeFile(path.join(root, 'posts', fileName(i)), makePost(i, words));
}
