import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceParser } from '../../../src/build/parse.js';
import { WARM_UP_PARSES, warmUp } from '../../../src/watch/warm.js';

const serial = () => {
  let lock: Promise<unknown> = Promise.resolve();
  return (fn: () => Promise<void>) => {
    const run = lock.then(fn);
    lock = run.catch(() => undefined);
    return run;
  };
};

async function site(names: string[]): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-warm-'));
  await fs.mkdir(path.join(root, 'posts'));
  for (const name of names) await fs.writeFile(path.join(root, 'posts', name), `text of ${name}`);
  return root;
}

const postsOf = (names: string[]) => names.map((name) => ({ kind: 'post' as const, source: `posts/${name}`, bundle: null }));

describe('warming the Markdown pipeline up', () => {
  it('parses the posts it is given, over and over when they are few, with their bytes, one per turn of the event loop', async () => {
    const names = ['a.md', 'b.md', 'c.md'];
    const root = await site(names);
    const seen: string[] = [];
    const parse: SourceParser = (source, bytes) => {
      seen.push(`${source.path}: ${Buffer.from(bytes).toString()}`);
      return { post: null, messages: [] };
    };
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    await warmUp(parse, root, postsOf(names), () => false, serial());
    clearInterval(ticking);
    expect(seen).toHaveLength(WARM_UP_PARSES);
    expect(seen.slice(0, 4)).toEqual(['posts/a.md: text of a.md', 'posts/b.md: text of b.md', 'posts/c.md: text of c.md', 'posts/a.md: text of a.md']);
    expect(turns).toBeGreaterThan(0);
  });

  it('stops when told to, and goes on past a parse that throws or a file that is gone', async () => {
    const root = await site(['a.md']);
    let parses = 0;
    const parse: SourceParser = () => {
      parses++;
      throw new Error('a plugin failed');
    };
    await warmUp(parse, root, postsOf(['a.md', 'gone.md']), () => parses >= 5, serial());
    expect(parses).toBe(5);
  });

  it('waits for a build holding the lock, and does nothing without posts', async () => {
    const root = await site(['a.md']);
    const exclusive = serial();
    const order: string[] = [];
    const build = exclusive(async () => {
      await new Promise((r) => setTimeout(r, 30));
      order.push('build');
    });
    const parse: SourceParser = () => {
      order.push('parse');
      return { post: null, messages: [] };
    };
    await Promise.all([build, warmUp(parse, root, postsOf(['a.md']), () => order.length >= 3, exclusive)]);
    expect(order).toEqual(['build', 'parse', 'parse']);
    let none = 0;
    await warmUp(() => (none++, { post: null, messages: [] }), root, [], () => false, exclusive);
    expect(none).toBe(0);
  });
});
