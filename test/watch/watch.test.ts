import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSite, post, readOut, snapshot, spawnCli, writeFiles, type RunningCli } from '../helpers/site.js';

const SITE = {
  'gi-build.config.json': JSON.stringify({ title: 'Watched' }),
  'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01', summary: 'First.' }, 'Body one.'),
  'posts/2024-02-01-two.md': post({ title: 'Two', date: '2024-02-01', summary: 'Second.' }, 'Body two.'),
  'pages/about.md': post({ title: 'About' }, 'About.'),
};

/** The rebuild line gi-build prints, e.g. "posts/a.md changed: re-parsed 1, rendered 3 pages, wrote 6 files in 9 ms". */
const REBUILD = /(\S+ changed|\d+ files changed): re-parsed (\d+), rendered (\d+) pages?, wrote (\d+) files?(?:, removed (\d+))? in \d+ ms/;

describe('gi-build --watch', () => {
  let cli: RunningCli | null = null;
  afterEach(async () => {
    await cli?.stop();
    cli = null;
  });

  async function start(files: Record<string, string> = SITE) {
    const root = await makeSite(files);
    cli = spawnCli(['--watch'], { cwd: root });
    await cli.waitFor(/first build: re-parsed 3/);
    await cli.waitFor(/Press Ctrl-C to stop/);
    // The search index follows the first build, from the worker thread.
    await cli.waitFor(/search index ready/);
    return { root, cli };
  }

  /** Makes a change and waits for the rebuild line it causes. */
  async function change(c: RunningCli, act: () => Promise<void>, pattern = REBUILD) {
    await c.quiet();
    const from = c.mark();
    await act();
    return c.waitFor(pattern, { from });
  }

  it('rebuilds an edited post alone: re-parses it and re-renders only its pages', async () => {
    const { root, cli } = await start();
    const m = await change(cli, () => writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01', summary: 'First.' }, 'Body edited.') }));
    expect(m[1]).toBe('posts/2024-01-01-one.md changed');
    expect(m[2]).toBe('1');
    expect(m[3]).toBe('1');
    expect(await readOut(root, 'posts/one/index.html')).toContain('Body edited.');
  });

  it('re-renders without re-parsing when a template changes, and rebuilds everything when the config changes', async () => {
    const { root, cli } = await start();
    const t = await change(cli, () => writeFiles(root, { 'templates/partials/footer.hbs': '<footer>Watched footer</footer>' }));
    expect(t[2]).toBe('0');
    expect(Number(t[3])).toBeGreaterThan(5);
    expect(await readOut(root, 'index.html')).toContain('Watched footer');
    const c = await change(cli, () => writeFiles(root, { 'gi-build.config.json': JSON.stringify({ title: 'Renamed site' }) }));
    expect(c[2]).toBe('3');
    expect(await readOut(root, 'index.html')).toContain('Renamed site');
  });

  it('reads a JavaScript config again when it changes', async () => {
    const { 'gi-build.config.json': _json, ...rest } = SITE;
    const { root, cli } = await start({ ...rest, 'gi-build.config.mjs': 'export default { title: "First title" };' });
    await change(cli, () => writeFiles(root, { 'gi-build.config.mjs': 'export default { title: "Second title" };' }));
    expect(await readOut(root, 'index.html')).toContain('Second title');
  });

  it('runs a config\'s plugins once per post when it starts: the pipeline is warmed up only without them', async () => {
    const { 'gi-build.config.json': _json, ...rest } = SITE;
    // The plugin writes a line each time it runs.
    const config = `
      import fs from 'node:fs';
      const count = () => (tree, file) => { fs.appendFileSync(new URL('./runs.log', import.meta.url), file.path + '\\n'); };
      export default { title: 'Plugged', rehypePlugins: [count] };
    `;
    const { root, cli } = await start({ ...rest, 'gi-build.config.mjs': config });
    const runs = async () => (await fs.readFile(path.join(root, 'runs.log'), 'utf8')).split('\n').filter(Boolean);
    await new Promise((r) => setTimeout(r, 500));
    expect((await runs()).sort()).toEqual(['pages/about.md', 'posts/2024-01-01-one.md', 'posts/2024-02-01-two.md']);
    await change(cli, () => writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01', summary: 'First.' }, 'Plugged body.') }));
    expect(await runs()).toHaveLength(4);
    expect(await readOut(root, 'posts/one/index.html')).toContain('Plugged body.');
  });

  it('copies a changed static file and nothing else', async () => {
    const { root, cli } = await start();
    const m = await change(cli, () => writeFiles(root, { 'static/hello.txt': 'hi' }));
    expect([m[2], m[3], m[4]]).toEqual(['0', '0', '1']);
    expect(await readOut(root, 'hello.txt')).toBe('hi');
  });

  it('survives a broken post, keeps the last good site, and recovers when it is fixed', async () => {
    const { root, cli } = await start();
    const before = await snapshot(path.join(root, 'dist'));
    await cli.quiet();
    const from = cli.mark();
    await writeFiles(root, { 'posts/2024-01-01-one.md': '---\ntitle: [broken\ndate: 2024-01-01\n---\n' });
    await cli.waitFor(/the build failed; the last good site is still in place/, { from });
    expect(cli.stderr()).toMatch(/posts\/2024-01-01-one\.md:\d+:\d+ {2}error {2}invalid YAML/);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
    const fixed = await change(cli, () => writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'One again', date: '2024-01-01' }, 'Fixed.') }));
    expect(fixed[2]).toBe('1');
    expect(await readOut(root, 'posts/one/index.html')).toContain('One again');
  });

  it('survives a broken template and a broken config', async () => {
    const { root, cli } = await start();
    await cli.quiet();
    let from = cli.mark();
    await writeFiles(root, { 'templates/layouts/post.hbs': '{{#if post}}' });
    await cli.waitFor(/the build failed/, { from });
    expect(cli.stderr()).toMatch(/templates\/layouts\/post\.hbs:\d+:1 {2}error {2}template syntax error/);
    await change(cli, () => fs.rm(path.join(root, 'templates'), { recursive: true }));
    await cli.quiet();
    from = cli.mark();
    await writeFiles(root, { 'gi-build.config.json': '{ "title": ' });
    await cli.waitFor(/gi-build\.config\.json(:\d+:\d+)?: the config is not valid JSON/, { from });
    const m = await change(cli, () => writeFiles(root, { 'gi-build.config.json': JSON.stringify({ title: 'Back' }) }));
    expect(m[2], cli.stdout() + cli.stderr()).toBe('3');
    expect(await readOut(root, 'index.html')).toContain('Back');
  });

  it('adds, renames and deletes posts everywhere they appear', async () => {
    const { root, cli } = await start();
    await change(cli, () => writeFiles(root, { 'posts/2024-03-01-three.md': post({ title: 'Three', date: '2024-03-01', tags: ['new-tag'] }, 'Three.') }));
    expect(await readOut(root, 'index.html')).toContain('Three');
    expect(await readOut(root, 'tags/new-tag/index.html')).toContain('Three');
    await expect.poll(() => readOut(root, 'search/index.json'), { timeout: 10_000 }).toContain('Three');

    await change(cli, () => fs.rename(path.join(root, 'posts/2024-03-01-three.md'), path.join(root, 'posts/2024-03-01-drei.md')));
    await expect(readOut(root, 'posts/three/index.html')).rejects.toThrow();
    expect(await readOut(root, 'posts/drei/index.html')).toContain('Three');

    const m = await change(cli, () => fs.rm(path.join(root, 'posts/2024-03-01-drei.md')));
    expect(Number(m[5])).toBeGreaterThanOrEqual(2);
    for (const file of ['index.html', 'archive/index.html', 'feed.xml', 'sitemap.xml']) {
      expect(await readOut(root, file), file).not.toContain('Three');
    }
    // The search index follows the pages, built in a worker thread.
    await expect.poll(() => readOut(root, 'search/index.json'), { timeout: 10_000 }).not.toContain('Three');
    await expect(readOut(root, 'tags/new-tag/index.html')).rejects.toThrow();
  });

  it('picks up an editor that saves by writing a temporary file and renaming it over the post', async () => {
    const { root, cli } = await start();
    await change(cli, async () => {
      const tmp = path.join(root, 'posts/.2024-01-01-one.md.tmp');
      await fs.writeFile(tmp, post({ title: 'One', date: '2024-01-01', summary: 'First.' }, 'Saved atomically.'));
      await fs.rename(tmp, path.join(root, 'posts/2024-01-01-one.md'));
    });
    await expect.poll(() => readOut(root, 'posts/one/index.html'), { timeout: 5000 }).toContain('Saved atomically.');
  });

  it('stops cleanly on Ctrl-C with exit 0 and leaves no temporary files', async () => {
    const { root, cli: running } = await start();
    await change(running, () => writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01' }, 'Last edit with zanzibarian words.') }));
    const code = await running.stop();
    // The search index of the last change was finished before exiting, not dropped.
    expect(await readOut(root, 'search/index.json')).toContain('zanzibarian');
    cli = null;
    expect(code).toBe(0);
    expect(running.stdout()).toContain('Stopped.');
    const leftovers = Object.keys(await snapshot(root)).filter((f) => /\.(new|old)-|gi-tmp/.test(f));
    expect(leftovers).toEqual([]);
  });
});

describe('gi-build --watch with the build cache', () => {
  it('builds and rebuilds when the cache cannot take the posts\' content, says so once, and leaves no cache that lacks it', async () => {
    // A file where the cache's content folder would be: no post's content can be written there.
    const root = await makeSite({ ...SITE, '.gi-cache/content': 'not a folder' });
    const cli = spawnCli(['--watch'], { cwd: root });
    try {
      await cli.waitFor(/Press Ctrl-C to stop/);
      await cli.waitFor(/search index ready/);
      expect(cli.stdout().match(/the build cache could not be written/g)).toHaveLength(1);
      const from = cli.mark();
      await writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01', summary: 'First.' }, 'Body about aardvarks.') });
      await cli.waitFor(REBUILD, { from });
      expect(await readOut(root, 'posts/one/index.html')).toContain('aardvarks');
    } finally {
      await cli.stop();
    }
    expect(cli.stdout().match(/the build cache could not be written/g)).toHaveLength(1);
    await expect(fs.stat(path.join(root, '.gi-cache'))).rejects.toThrow();
  });

  it('starts from the cache, and leaves it up to date when stopped, search terms included', async () => {
    const root = await makeSite(SITE);
    let cli = spawnCli(['--watch'], { cwd: root });
    await cli.waitFor(/search index ready/);
    await cli.waitFor(/Press Ctrl-C to stop/);
    let from = cli.mark();
    await writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01', summary: 'First.' }, 'Body about aardvarks.') });
    await cli.waitFor(REBUILD, { from });
    await cli.stop();
    expect((await fs.readFile(path.join(root, '.gi-cache/terms.bin'))).toString('latin1')).toContain('"aardvark"');

    // A new watch parses nothing that the cache knows, and its first index follows from the cached terms.
    cli = spawnCli(['--watch'], { cwd: root });
    try {
      await cli.waitFor(/first build: re-parsed 0, rendered 0 pages, wrote 0 files/);
      await cli.waitFor(/Press Ctrl-C to stop/);
      from = cli.mark();
      await writeFiles(root, { 'posts/2024-02-01-two.md': post({ title: 'Two', date: '2024-02-01', summary: 'Second.' }, 'Body about zebras.') });
      await cli.waitFor(/re-parsed 1/, { from });
      await expect.poll(async () => readOut(root, 'search/index.json'), { timeout: 10_000 }).toContain('zebra');
    } finally {
      await cli.stop();
    }
    // A build after the watch is a repeat build.
    const again = spawnCli(['--verbose'], { cwd: root });
    await again.exited;
    expect(await readOut(root, 'search/index.json')).toContain('aardvark');
  });
});
