import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { checkReplaceable, MARKER, resolveInside, writeOutput } from '../../../src/output/writer.js';
import { hash } from '../../../src/util/hash.js';

describe('resolveInside', () => {
  const out = path.resolve('/site/dist');
  it.each([
    ['index.html', path.join(out, 'index.html')],
    ['posts/a/index.html', path.join(out, 'posts/a/index.html')],
    ['posts/../x.html', path.join(out, 'x.html')],
  ])('accepts %s', (file, expected) => {
    expect(resolveInside(out, file)).toBe(expected);
  });

  it.each([['../escape.html'], ['posts/../../escape.html'], ['/etc/passwd'], [''], ['.'], ['../dist-other/x']])('refuses %s', (file) => {
    expect(() => resolveInside(out, file)).toThrow(/outside the output folder/);
  });
});

describe('writeOutput', () => {
  it('replaces the folder whole, leaving no temporary folders, and marks it as its own', async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-writer-'));
    const out = path.join(parent, 'dist');
    await writeOutput(out, [{ path: 'a/index.html', contents: 'one' }, { path: 'old.txt', contents: 'old' }]);
    await writeOutput(out, [{ path: 'a/index.html', contents: 'two' }]);
    expect(await fs.readFile(path.join(out, 'a/index.html'), 'utf8')).toBe('two');
    expect((await fs.readdir(out)).sort()).toEqual([MARKER, 'a']);
    expect(await fs.readdir(parent)).toEqual(['dist']);
    await expect(checkReplaceable(out)).resolves.toBeUndefined();
  });

  it('removes the staged folders that killed builds on this machine left beside it, and only those', async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-writer-'));
    const out = path.join(parent, 'dist');
    // A staged folder is named after this machine, the build's process and the time.
    const host = hash(os.hostname()).slice(0, 8);
    const time = Date.now().toString(36);
    // Process ids beyond any system's limit are of processes that are gone; this one's is running.
    const gone = [`.dist.new-${host}-2147483646-${time}`, `.dist.old-${host}-2147483645-${time}`];
    const kept = [
      `.dist.new-${host}-${process.pid}-${time}`,
      `.dist.new-${host === '00000000' ? '11111111' : '00000000'}-2147483646-${time}`,
      `.dist.new-${host}-2147483646-backup12`,
      `.dist.old-${host}-2147483646-${(Date.now() + 7 * 86_400_000).toString(36)}`,
      '.dist.old-2023-backup',
      '.dist.new-notes',
      `.other.new-${host}-2147483646-${time}`,
      'dist-2147483646',
    ];
    for (const name of [...gone, ...kept]) {
      await fs.mkdir(path.join(parent, name, 'posts'), { recursive: true });
      await fs.writeFile(path.join(parent, name, 'posts/index.html'), 'x');
    }
    await writeOutput(out, [{ path: 'index.html', contents: 'one' }]);
    expect((await fs.readdir(parent)).sort()).toEqual(['dist', ...kept].sort());
  });

  it('touches nothing when a path would escape', async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-writer-'));
    const out = path.join(parent, 'dist');
    await expect(writeOutput(out, [{ path: 'ok.html', contents: 'x' }, { path: '../evil.html', contents: 'x' }])).rejects.toThrow();
    expect(await fs.readdir(parent)).toEqual([]);
  });

  it('fails as a whole, leaving the previous output as it was, when a file cannot be written among hundreds', async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-writer-'));
    const out = path.join(parent, 'dist');
    await writeOutput(out, [{ path: 'index.html', contents: 'before' }]);
    // `a` is written as a file, so `a/b.html` cannot be: its failure must wait, unhandled by nobody, for the rest.
    const files = [{ path: 'a', contents: 'a file' }, { path: 'a/b.html', contents: 'x' }, ...Array.from({ length: 300 }, (_, i) => ({ path: `p${i}/index.html`, contents: `page ${i}` }))];
    await expect(writeOutput(out, files)).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(await fs.readFile(path.join(out, 'index.html'), 'utf8')).toBe('before');
    expect((await fs.readdir(parent)).sort()).toEqual(['dist']);
  });

  it('refuses to replace a folder it did not write', async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-writer-'));
    await fs.mkdir(path.join(parent, 'mine'));
    await fs.writeFile(path.join(parent, 'mine/keep.txt'), 'keep');
    await expect(checkReplaceable(path.join(parent, 'mine'))).rejects.toThrow(/did not write/);
    await fs.mkdir(path.join(parent, 'empty'));
    await expect(checkReplaceable(path.join(parent, 'empty'))).resolves.toBeUndefined();
  });
});

describe('a build stopped while its output is staged', () => {
  /** A fresh copy of the writer module: a stop is for the whole process. */
  async function freshWriter() {
    vi.resetModules();
    return import('../../../src/output/writer.js');
  }

  /** An output folder with one build in it, and a staged next build with a new page. */
  async function staged() {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-stop-'));
    const out = path.join(parent, 'dist');
    // The previous build, by another process (this file's own copy of the module).
    await writeOutput(out, [{ path: 'index.html', contents: 'previous' }]);
    const { StagedOutput, stopWriting, writeAhead } = await freshWriter();
    const next = await StagedOutput.open(out);
    await next.add([{ path: 'index.html', contents: 'next' }]);
    return { parent, out, next, stopWriting, writeAhead };
  }

  it('leaves the previous output as it was when the stop comes before the swap, and lets no swap start after it', async () => {
    const { parent, out, next, stopWriting, writeAhead } = await staged();
    const marker = await fs.stat(path.join(out, MARKER));
    await expect(stopWriting()).resolves.toBe(false);
    await expect(next.commit()).rejects.toThrow(/stopped/);
    // Nor is a file written in place any more, the marker included (it is replaced before an update).
    await expect(writeAhead(out, [{ path: 'index.html', contents: 'in place' }], new Map())).rejects.toThrow(/stopped/);
    expect((await fs.stat(path.join(out, MARKER))).ino).toBe(marker.ino);
    expect(await fs.readFile(path.join(out, 'index.html'), 'utf8')).toBe('previous');
    expect(await fs.readdir(parent)).toEqual(['dist']);
    expect((await fs.readdir(out)).sort()).toEqual([MARKER, 'index.html'].sort());
  });

  it('waits for a swap under way and says the new output is in place, never leaving the folder moved aside', async () => {
    const { parent, out, next, stopWriting } = await staged();
    const committing = next.commit();
    // The stop comes while the swap's renames are in flight.
    await expect(stopWriting()).resolves.toBe(true);
    await committing;
    expect(await fs.readFile(path.join(out, 'index.html'), 'utf8')).toBe('next');
    expect(await fs.readdir(parent)).toEqual(['dist']);
  });
});
