import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exists, makeSite, post, runCli, snapshot, writeFiles } from '../helpers/site.js';

/** Runs the CLI subject to file permissions, as a user is. */
function runUnprivileged(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, { cwd, unprivileged: true });
}

const GOOD = post({ title: 'Good', date: '2024-01-01' });

describe('files the user may not read or write', () => {
  it('reports an unreadable post on the post, with the others, and exit 1', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD, 'posts/secret.md': GOOD.replace('Good', 'Secret'), 'posts/bad.md': '---\ntitle: Bad\n---\n' });
    await fs.chmod(path.join(root, 'posts/secret.md'), 0o000);
    const { code, stderr } = await runUnprivileged([], root);
    expect(code).toBe(1);
    expect(stderr).toContain('posts/secret.md  error  permission denied: gi-build may not read this file  [source/unreadable]');
    expect(stderr).toContain('posts/bad.md');
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it.each([
    ['a folder of posts', 'posts/folder', 'posts/folder'],
    ['a template', 'templates/partials/footer.hbs', 'templates/partials/footer.hbs'],
    ['an image', 'posts/folder/photo.png', 'posts/folder/photo.png'],
    ['a static file', 'static/notes.txt', 'static/notes.txt'],
  ])('names %s it cannot read, says "permission denied", exit 1, and leaves the output as it was', async (_, locked, named) => {
    const root = await makeSite({
      'posts/folder/index.md': `${GOOD.trimEnd()}\n\n![A photo](photo.png)\n`,
      'posts/folder/photo.png': '\x89PNG\r\n\x1a\n',
      'templates/partials/footer.hbs': '<footer>Ours</footer>',
      'static/notes.txt': 'notes',
    });
    expect((await runUnprivileged([], root)).code).toBe(0);
    const before = await snapshot(path.join(root, 'dist'));
    await fs.chmod(path.join(root, locked), 0o000);
    const { code, stderr } = await runUnprivileged(['--clean'], root);
    expect(stderr).toBe(`gi-build: permission denied: cannot read ${named}\n    Let your user read it (ls -l shows who may), e.g. chmod u+r ${named}\n`);
    expect(code).toBe(1);
    await fs.chmod(path.join(root, locked), 0o777);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
    expect((await fs.readdir(root)).filter((n) => n.startsWith('.dist'))).toEqual([]);
  });

  it('builds a site beside whose posts lies an unreadable file that is not published', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD, 'posts/sketch.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>' });
    await fs.chmod(path.join(root, 'posts/sketch.svg'), 0o000);
    const { code, stderr } = await runUnprivileged([], root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('names a config file it cannot read, exit 2', async () => {
    const root = await makeSite({ 'gi-build.config.json': '{}', 'posts/good.md': GOOD });
    await fs.chmod(path.join(root, 'gi-build.config.json'), 0o000);
    const { code, stderr } = await runUnprivileged([], root);
    expect(stderr).toMatch(/^gi-build: permission denied: cannot read gi-build\.config\.json\n/);
    expect(code).toBe(2);
  });

  it('says an output folder it may not write cannot take the output, exit 2, and leaves the page it could not write', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD });
    expect((await runUnprivileged([], root)).code).toBe(0);
    const before = await snapshot(path.join(root, 'dist'));
    await writeFiles(root, { 'posts/good.md': GOOD.replace('Some text.', 'Other text.') });
    await fs.chmod(path.join(root, 'dist/posts/good'), 0o555);
    const { code, stderr } = await runUnprivileged([], root);
    await fs.chmod(path.join(root, 'dist/posts/good'), 0o777);
    expect(stderr).toBe('gi-build: permission denied: cannot write dist/posts/good\n    Let your user write there, or build into another folder with --out.\n');
    expect(code).toBe(2);
    // Updated in place, file by file: the page that could not be written is the previous one, whole.
    const after = await snapshot(path.join(root, 'dist'));
    expect(after['posts/good/index.html']).toBe(before['posts/good/index.html']);
    expect(Object.keys(after).filter((p) => p.includes('.gi-tmp-'))).toEqual([]);
  });

  it('says a read-only site folder cannot take the output, exit 2', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD });
    await fs.chmod(root, 0o555);
    const { code, stderr } = await runUnprivileged([], root);
    await fs.chmod(root, 0o777);
    expect(stderr).toMatch(/^gi-build: permission denied: cannot write dist\n/);
    expect(code).toBe(2);
    expect(await exists(path.join(root, 'dist'))).toBe(false);
  });
});
