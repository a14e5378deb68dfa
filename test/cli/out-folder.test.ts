import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exists, makeSite, post, runCli, snapshot } from '../helpers/site.js';

const SITE = {
  'gi-build.config.json': JSON.stringify({ title: 'Out folder site' }),
  '.gitignore': 'dist/\n',
  'NOTES.txt': 'my own notes',
  'posts/2024-01-01-hello.md': post({ title: 'Hello', date: '2024-01-01' }),
  'pages/about.md': post({ title: 'About' }),
};

/** A site built once into dist/, with a snapshot of everything in it then. */
async function builtSite(files: Record<string, string> = SITE) {
  const root = await makeSite(files);
  expect((await runCli([], { cwd: root })).code).toBe(0);
  return { root, before: await snapshot(root) };
}

describe('an output folder reached through a symbolic link', () => {
  it('refuses a link to the site folder, even with a marker copied into it, and deletes nothing', async () => {
    const { root, before } = await builtSite();
    // ln -s . selfl; cp dist/.gi-build .; gi-build --out selfl
    await fs.symlink('.', path.join(root, 'selfl'));
    await fs.copyFile(path.join(root, 'dist/.gi-build'), path.join(root, '.gi-build'));
    const r = await runCli(['--out', 'selfl'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refusing to write the site into ${path.join(root, 'selfl')} (which leads to ${await fs.realpath(root)}): it is the site folder or holds it`);
    expect(r.stdout).toBe('');
    // Without the link and the copied marker, the site is exactly as it was.
    await fs.rm(path.join(root, 'selfl'));
    await fs.rm(path.join(root, '.gi-build'));
    expect(await snapshot(root)).toEqual(before);
    expect(await fs.readFile(path.join(root, 'NOTES.txt'), 'utf8')).toBe('my own notes');
  });

  it.each([
    ['a link to posts/', 'posts', 'out', 'it is inside posts/'],
    ['a folder inside a link to posts/', 'posts', 'out/new', 'it is inside posts/'],
    ['a link to a folder posts/ does not hold yet', 'posts/new', 'out', 'it is inside posts/'],
    ['a link to static/', 'static', 'out', 'it is inside static/'],
    ['a link to the parent of the site folder', '..', 'out', 'it is the site folder or holds it'],
    ['a link to the site folder by its absolute path', '<root>', 'out', 'it is the site folder or holds it'],
  ])('refuses %s', async (_, target, out, expected) => {
    const { root, before } = await builtSite({ ...SITE, 'static/robots.txt': 'User-agent: *\n' });
    await fs.symlink(target === '<root>' ? root : target, path.join(root, 'out'));
    const r = await runCli(['--out', out], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(expected);
    await fs.rm(path.join(root, 'out'));
    expect(await snapshot(root)).toEqual(before);
  });

  it('refuses the same link given as outDir in the config', async () => {
    const { root } = await builtSite();
    await fs.symlink('posts', path.join(root, 'public'));
    await fs.writeFile(path.join(root, 'gi-build.config.json'), JSON.stringify({ title: 'x', outDir: 'public' }));
    const r = await runCli([], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is inside posts/, which gi-build reads');
    expect(await fs.readdir(path.join(root, 'posts'))).toEqual(['2024-01-01-hello.md']);
  });
});

describe("an output folder's marker", () => {
  it('does not make a folder replaceable when copied into it', async () => {
    const { root } = await builtSite({ ...SITE, 'public/precious.txt': 'keep me' });
    await fs.copyFile(path.join(root, 'dist/.gi-build'), path.join(root, 'public/.gi-build'));
    const r = await runCli(['--out', 'public'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds files that gi-build did not write there (precious.txt)');
    expect(r.stderr).toContain('or its .gi-build was copied from another folder');
    expect((await fs.readdir(path.join(root, 'public'))).sort()).toEqual(['.gi-build', 'precious.txt']);
  });

  it('does not count when it is a symbolic link to a real one', async () => {
    const { root } = await builtSite({ ...SITE, 'public/precious.txt': 'keep me' });
    await fs.symlink(path.join(root, 'dist/.gi-build'), path.join(root, 'public/.gi-build'));
    const r = await runCli(['--out', 'public'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('its .gi-build is not a file gi-build wrote');
    expect(await fs.readFile(path.join(root, 'public/precious.txt'), 'utf8')).toBe('keep me');
  });

  it('still counts after the whole project folder is moved and renamed', async () => {
    const { root } = await builtSite();
    const moved = path.join(path.dirname(root), `${path.basename(root)}-renamed`);
    await fs.rename(root, moved);
    const r = await runCli([], { cwd: moved });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await exists(path.join(moved, 'dist/posts/hello/index.html'))).toBe(true);
  });

  it('written by an older gi-build, is taken as before and rewritten with the names', async () => {
    const { root } = await builtSite();
    const legacy = 'This folder is generated by gi-build, which replaces or updates it on every build: edit the sources, not these files.\n';
    await fs.writeFile(path.join(root, 'dist/.gi-build'), legacy);
    const r = await runCli(['--clean'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await fs.readFile(path.join(root, 'dist/.gi-build'), 'utf8')).toMatch(/"index\.html"/);
    expect(await exists(path.join(root, 'dist/posts/hello/index.html'))).toBe(true);
  });
});
