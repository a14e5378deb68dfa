import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build/index.js';
import { parseAll } from '../../src/build/parse.js';
import { discover } from '../../src/content/discover.js';
import { loadConfig } from '../../src/config/resolve.js';
import { makeSite, NOW, post, readOut, runCli, snapshot, writeFiles } from '../helpers/site.js';

/** A site of `n` posts with links, tags, footnotes, tables, raw HTML and one broken post. */
function site(n: number, extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = { 'gi-build.config.json': JSON.stringify({ title: 'Parallel' }), ...extra };
  for (let i = 1; i <= n; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    files[`posts/2024-02-${day}-p${i}.md`] = post(
      { title: `Post ${i}`, date: `2024-02-${day}`, tags: [`t${i % 5}`], series: i % 7 === 0 ? 'Seven' : undefined },
      `Text of post ${i} with a footnote[^1] and a [link](2024-02-01-p28.md).\n\n| a | b |\n|:-|-:|\n| ${i} | <em>x</em> |\n\n[^1]: Note ${i}.`,
    );
  }
  return files;
}

async function buildWith(root: string, out: string, parseWorkers: number) {
  const config = await loadConfig({ root, out }, root);
  return build(config, { now: NOW, parseWorkers });
}

describe('parsing in worker threads', () => {
  it('gives exactly what parsing in this thread gives, messages included', async () => {
    const root = await makeSite(site(60, { 'posts/2024-03-01-broken.md': '---\ntitle: Broken\ndate: soon\n---\nText.' }));
    const one = await buildWith(root, 'dist-one', 0);
    const many = await buildWith(root, 'dist-many', 3);
    expect(many.counts.parsed).toBe(61);
    expect(many.messages).toEqual(one.messages);
    expect(many.ok).toBe(false);

    const fixed = await makeSite(site(60));
    expect((await buildWith(fixed, 'dist-one', 0)).ok).toBe(true);
    expect((await buildWith(fixed, 'dist-many', 2)).ok).toBe(true);
    expect(await snapshot(path.join(fixed, 'dist-many'))).toEqual(await snapshot(path.join(fixed, 'dist-one')));
  });

  it('stays in this thread when the config has plugins, which cannot be sent to a thread', async () => {
    const config = `export default { title: 'Plugged', remarkPlugins: [() => (tree) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: 'Added by a plugin.' }] }); }] };\n`;
    const { 'gi-build.config.json': _json, ...posts } = site(20);
    const root = await makeSite({ ...posts, 'gi-build.config.mjs': config });
    const r = await buildWith(root, 'dist', 2);
    expect(r.ok).toBe(true);
    expect(r.counts.parsed).toBe(20);
    expect(await readOut(root, 'posts/p1/index.html')).toContain('Added by a plugin.');
  });

  it('runs from the command line, in the bundled worker threads, as it does in this thread', async () => {
    // 220 posts: enough for the binary to parse in workers, which it starts from lib/bundle/.
    const root = await makeSite(site(220));
    const cli = await runCli(['--out', 'dist-cli'], { cwd: root });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/Built 220 posts/);
    expect((await buildWith(root, 'dist-one', 0)).ok).toBe(true);
    // The pages of posts (the home page and feeds carry the build time) are the same.
    const posts = (dir: string) => snapshot(path.join(root, dir, 'posts'));
    expect(await posts('dist-cli')).toEqual(await posts('dist-one'));
  });
});

describe('parseAll with the previous build\'s results', () => {
  it('parses again only the files whose bytes changed, and says a change was found only then', async () => {
    const root = await makeSite(site(12));
    const config = await loadConfig({ root }, root);
    const { sources } = await discover(root);
    const first = await parseAll(sources, config, undefined);
    // As a checkout leaves the files: every one with a new time, and the same bytes.
    const later = new Date(Date.now() + 60_000);
    for (const s of sources) await fs.utimes(s.absolute, later, later);
    let told = 0;
    const again = await parseAll(sources, config, first.parsed, { onChange: () => told++ });
    expect([again.reparsed, told]).toEqual([0, 0]);
    expect([...again.parsed.values()].map((e) => e.result)).toEqual([...first.parsed.values()].map((e) => e.result));
    // One file whose bytes changed, among them.
    await writeFiles(root, { 'posts/2024-02-06-p5.md': post({ title: 'Five again', date: '2024-02-06' }, 'New text.') });
    const edited = await parseAll(sources, config, again.parsed, { onChange: () => told++ });
    expect([edited.reparsed, told, [...edited.fresh]]).toEqual([1, 1, ['posts/2024-02-06-p5.md']]);
    expect(edited.posts.find((p) => p.source === 'posts/2024-02-06-p5.md')?.title).toBe('Five again');
  });
});
