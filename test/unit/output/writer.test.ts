import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { checkReplaceable, isOwnOutput, isOwnOutputNow, MARKER, resolveInside, updateOutput, writeAhead, writeOutput } from '../../../src/output/writer.js';
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

describe("the output folder's marker", () => {
  /** A fresh parent folder with an output written into `dist`. */
  async function written(files = [{ path: 'index.html', contents: 'home' }, { path: 'posts/a/index.html', contents: 'a' }]) {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-marker-'));
    const out = path.join(parent, 'dist');
    const result = await writeOutput(out, files);
    return { parent, out, outputs: result.outputs };
  }

  /** Whether gi-build takes the folder for its own output, asked both ways. */
  async function own(dir: string): Promise<boolean> {
    const answer = await isOwnOutput(dir);
    expect(isOwnOutputNow(dir)).toBe(answer);
    return answer;
  }

  it('makes its own folder replaceable, and only that one when copied', async () => {
    const { parent, out } = await written();
    expect(await own(out)).toBe(true);
    await fs.mkdir(path.join(parent, 'mine'));
    await fs.writeFile(path.join(parent, 'mine/notes.txt'), 'keep');
    await fs.copyFile(path.join(out, MARKER), path.join(parent, 'mine', MARKER));
    await expect(checkReplaceable(path.join(parent, 'mine'))).rejects.toThrow(/holds files that gi-build did not write there \(notes\.txt\).*copied from another folder/);
    expect(await own(path.join(parent, 'mine'))).toBe(false);
  });

  it('does not count as a symbolic link, nor as a hand-written file', async () => {
    const { parent, out } = await written();
    for (const [name, make] of [
      ['linked', (file: string) => fs.symlink(path.join(out, MARKER), file)],
      ['typed', (file: string) => fs.writeFile(file, 'This folder is generated by gi-build\n')],
    ] as const) {
      const dir = path.join(parent, name);
      await fs.mkdir(dir);
      await fs.writeFile(path.join(dir, 'index.html'), 'mine');
      await make(path.join(dir, MARKER));
      await expect(checkReplaceable(dir)).rejects.toThrow(name === 'linked' ? /is not a file gi-build wrote/ : /holds files that gi-build did not write/);
      expect(await own(dir)).toBe(false);
    }
  });

  it('is the same in two output folders of the same files, and still counts in a moved folder', async () => {
    const { parent, out } = await written();
    const other = path.join(parent, 'dist-other');
    await writeOutput(other, [{ path: 'posts/a/index.html', contents: 'a' }, { path: 'index.html', contents: 'home' }]);
    expect(await fs.readFile(path.join(other, MARKER), 'utf8')).toBe(await fs.readFile(path.join(out, MARKER), 'utf8'));
    const moved = path.join(parent, 'moved', 'public');
    await fs.mkdir(path.dirname(moved));
    await fs.rename(out, moved);
    expect(await own(moved)).toBe(true);
    await expect(checkReplaceable(moved)).resolves.toBeUndefined();
  });

  it('ignores what system file managers and killed builds leave at the top', async () => {
    const { out } = await written();
    await fs.writeFile(path.join(out, '.DS_Store'), 'finder');
    await fs.writeFile(path.join(out, `index.html.gi-tmp-123`), 'half');
    await fs.writeFile(path.join(out, `${MARKER}.gi-tmp-123`), 'half');
    expect(await own(out)).toBe(true);
    await writeOutput(out, [{ path: 'index.html', contents: 'again' }]);
    expect((await fs.readdir(out)).sort()).toEqual([MARKER, 'index.html']);
  });

  const LEGACY = 'This folder is generated by gi-build, which replaces or updates it on every build: edit the sources, not these files.\n';

  it('of an older gi-build, which lists nothing, is taken as before, and the next write lists the names', async () => {
    const { out } = await written();
    await fs.writeFile(path.join(out, MARKER), LEGACY);
    await expect(checkReplaceable(out)).resolves.toBeUndefined();
    expect(await own(out)).toBe(true);
    await writeOutput(out, [{ path: 'index.html', contents: 'home' }]);
    expect(await fs.readFile(path.join(out, MARKER), 'utf8')).toContain('["index.html"]');
  });

  it.each([
    ['an update', (out: string, outputs: ReadonlyMap<string, string>) => updateOutput(out, [{ path: 'index.html', contents: 'home 2' }], ['posts/a/index.html'], outputs)],
    ['a page written ahead', (out: string, outputs: ReadonlyMap<string, string>) => writeAhead(out, [{ path: 'index.html', contents: 'home 2' }], outputs)],
  ])('of an older gi-build, updated in place by %s, lists all that was there', async (_, update) => {
    const { out, outputs } = await written();
    await fs.writeFile(path.join(out, MARKER), LEGACY);
    await update(out, outputs);
    expect(await fs.readFile(path.join(out, MARKER), 'utf8')).toContain('["index.html","posts"]');
    expect(await own(out)).toBe(true);
  });

  it('lists what an update in place leaves, as a build from scratch of the same files does', async () => {
    const { parent, out, outputs } = await written([
      { path: 'index.html', contents: 'home' },
      { path: 'tags/x/index.html', contents: 'x' },
      { path: 'file.txt', contents: 'static' },
    ]);
    // A new top-level folder, written ahead of a rebuild, is listed from its first file.
    const ahead = await writeAhead(out, [{ path: 'authors/ann/index.html', contents: 'ann' }], outputs);
    expect(await own(out)).toBe(true);
    // The rebuild drops tags/ and file.txt: the marker no longer lists them.
    await updateOutput(out, [{ path: 'index.html', contents: 'home 2' }], ['authors/ann/index.html'], ahead);
    expect((await fs.readdir(out)).sort()).toEqual([MARKER, 'authors', 'index.html']);
    const fresh = path.join(parent, 'fresh');
    await writeOutput(fresh, [{ path: 'index.html', contents: 'home 2' }, { path: 'authors/ann/index.html', contents: 'ann' }]);
    expect(await fs.readFile(path.join(out, MARKER), 'utf8')).toBe(await fs.readFile(path.join(fresh, MARKER), 'utf8'));
    expect(await own(out)).toBe(true);
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

describe('a symbolic link planted inside the output folder', () => {
  it.each([
    ['an update', (out: string, outputs: ReadonlyMap<string, string>) => updateOutput(out, [{ path: 'posts/a/index.html', contents: 'a 2' }], ['index.html'], outputs)],
    ['a page written ahead', (out: string, outputs: ReadonlyMap<string, string>) => writeAhead(out, [{ path: 'posts/a/index.html', contents: 'a 2' }], outputs)],
    ['a removal', (out: string, outputs: ReadonlyMap<string, string>) => updateOutput(out, [{ path: 'index.html', contents: 'home' }], [], outputs)],
  ])('is not followed out of it by %s', async (_, change) => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-link-'));
    const out = path.join(parent, 'dist');
    const { outputs } = await writeOutput(out, [{ path: 'index.html', contents: 'home' }, { path: 'posts/a/index.html', contents: 'a' }]);
    // Someone replaces dist/posts with a link to a folder of their own files.
    const elsewhere = path.join(parent, 'elsewhere');
    await fs.mkdir(path.join(elsewhere, 'a'), { recursive: true });
    await fs.writeFile(path.join(elsewhere, 'a', 'index.html'), 'precious');
    await fs.rm(path.join(out, 'posts'), { recursive: true });
    await fs.symlink(elsewhere, path.join(out, 'posts'));
    await expect(change(out, outputs)).rejects.toThrow(/refusing to write posts\/a\/index\.html in .*: posts\/a leads outside it \(a symbolic link\)/);
    expect(await fs.readFile(path.join(elsewhere, 'a', 'index.html'), 'utf8')).toBe('precious');
  });
});
