import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSite, post, runCli, snapshot, spawnCli, writeFiles } from '../helpers/site.js';

const GOOD = post({ title: 'Good post', date: '2024-01-01' }, 'Fine.');

/** A list nested `depth` levels deep, two spaces a level: parsing it takes many seconds. */
function nestedList(depth: number): string {
  return Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
}

describe('a build stopped while it parses a pathological post', () => {
  // Ctrl-C stops the build as usual (exit 130, "Stopped."); SIGTERM while a post is parsed ends the
  // process at once (143), which has written nothing yet.
  it.each([
    ['SIGINT', [], 130],
    ['SIGTERM', [], 143],
    ['SIGINT', ['--watch'], 130],
    ['SIGTERM', ['--watch'], 143],
  ] as const)('ends within a second of %s (flags: %j), leaving the previous output and no staged folder', async (signal, flags, expected) => {
    const root = await makeSite({ 'posts/good.md': GOOD });
    expect((await runCli([], { cwd: root })).code).toBe(0);
    const before = await snapshot(path.join(root, 'dist'));
    // The limits are raised so that the post is parsed, for far longer than the test waits.
    await writeFiles(root, {
      'gi-build.config.json': JSON.stringify({ limits: { nesting: 100_000, parseSeconds: 600 } }),
      'posts/deep.md': `---\ntitle: Deep\ndate: 2024-01-02\n---\n${nestedList(4000)}\n`,
    });
    const cli = spawnCli([...flags], { cwd: root });
    let code: number;
    let took: number;
    try {
      // Long enough for the process to start and reach the post.
      await new Promise((r) => setTimeout(r, 2000));
      const asked = Date.now();
      cli.signal(signal);
      code = await Promise.race([cli.exited, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
      took = Date.now() - asked;
    } finally {
      // A build that does not stop would parse for hours after the test.
      cli.kill();
    }
    expect(code).toBe(expected);
    if (signal === 'SIGINT') expect(cli.stderr()).toContain('Stopped.');
    expect(took).toBeLessThan(1000);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
    expect((await fs.readdir(root)).filter((n) => n.startsWith('.dist'))).toEqual([]);
  });
});

describe('a watch stopped while it parses a pathological post just saved', () => {
  it('ends within a second of Ctrl-C', async () => {
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ limits: { nesting: 100_000, parseSeconds: 600 } }),
      'posts/good.md': GOOD,
    });
    const cli = spawnCli(['--watch'], { cwd: root });
    let code: number;
    let took: number;
    try {
      await cli.waitFor(/search index ready/);
      await writeFiles(root, { 'posts/deep.md': `---\ntitle: Deep\ndate: 2024-01-02\n---\n${nestedList(4000)}\n` });
      // Long enough for the watch to see the file and start on it.
      await new Promise((r) => setTimeout(r, 2000));
      const asked = Date.now();
      cli.signal('SIGINT');
      code = await Promise.race([cli.exited, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
      took = Date.now() - asked;
    } finally {
      cli.kill();
    }
    expect(code).toBe(0);
    expect(cli.stdout()).toContain('Stopped.');
    expect(took).toBeLessThan(1000);
  });
});

describe('a one-off build whose partial includes itself', () => {
  it('fails with the partial named, exit 1, and no staged folder left', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD, 'templates/partials/footer.hbs': '<footer>{{> footer}}</footer>' });
    const { code, stderr } = await runCli([], { cwd: root });
    expect(stderr).toMatch(/^templates\/partials\/footer\.hbs {2}error {2}partials are nested more than 100 deep here/m);
    expect(code).toBe(1);
    expect((await fs.readdir(root)).filter((n) => n.startsWith('.dist'))).toEqual([]);
  });
});
