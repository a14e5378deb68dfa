import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSite, post, REPO, runCli } from '../helpers/site.js';

const BROKEN = {
  'gi-build.config.json': JSON.stringify({ title: 'Check site', baseUrl: 'https://example.org' }),
  'posts/2024-01-01-links.md': post({ title: 'Links', date: '2024-01-01' }, 'A [missing page](/nope/).\n\nA [missing heading](#missing).\n\n## Present\n\nAn [anchor that works](#present) and [a post](2024-02-01-other.md).'),
  'posts/2024-02-01-other.md': post({ title: 'Other', date: '2024-02-01' }, 'Back to [links](2024-01-01-links.md).'),
};

function tempOut(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-check-out-'));
}

describe('gi-build check (the binary)', () => {
  it("finds no broken links in this repository's sample site", async () => {
    const r = await runCli(['check', '--out', await tempOut()], { cwd: REPO });
    expect(r.stderr).not.toContain('check/');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Checked \d+ pages: no broken links\.\n$/);
  });

  it('finds none under a base path either', async () => {
    const r = await runCli(['check', '--out', await tempOut(), '--base-path', '/blog/', '--base-url', 'https://example.org'], { cwd: REPO });
    expect(r.stderr).not.toContain('check/');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Checked \d+ pages: no broken links\.\n$/);
  });

  it("exits 1 naming the post's Markdown file, the line and each broken URL", async () => {
    const root = await makeSite(BROKEN);
    const r = await runCli(['check'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines).toContain('posts/2024-01-01-links.md:6:18  error  broken link to /nope/ (in dist/posts/links/index.html)  [check/broken-link]');
    expect(lines).toContain(
      'posts/2024-01-01-links.md:8:21  error  broken link to #missing: this page has no element with id "missing" (in dist/posts/links/index.html)  [check/broken-fragment]',
    );
    expect(r.stderr).toContain('    No file in the output answers it; looked for dist/nope/index.html.');
    expect(r.stderr).not.toContain('#present');
    expect(r.stderr).toMatch(/\n✖ 2 broken links\.\n$/);
  });

  it('names the source file again when the build before it found nothing changed', async () => {
    const root = await makeSite(BROKEN);
    const first = await runCli(['check'], { cwd: root });
    // The second build stands on the first's cache, and knows each page's source from it.
    const again = await runCli(['check'], { cwd: root });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(first.stderr);
    expect(again.stderr).toContain('posts/2024-01-01-links.md:6:18  error  broken link to /nope/');
  });

  it('prefixes the base path to the URLs it reports, and still finds the line', async () => {
    const root = await makeSite(BROKEN);
    const r = await runCli(['check', '--base-path', '/blog/'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('posts/2024-01-01-links.md:6:18  error  broken link to /blog/nope/ (in dist/posts/links/index.html)  [check/broken-link]');
  });

  it('names the output file, line and column for a page no source file made', async () => {
    const root = await makeSite({ ...BROKEN, 'posts/2024-01-01-links.md': post({ title: 'Links', date: '2024-01-01' }), 'templates/layouts/archive.hbs': '<main>\n  <a href="/nowhere/">x</a> <img src="/missing.png" alt="">\n</main>\n' });
    const r = await runCli(['check', '--root', root], { cwd: os.tmpdir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dist\/archive\/index\.html:\d+:6 {2}error {2}broken link to \/nowhere\/ {2}\[check\/broken-link\]$/m);
    expect(r.stderr).toMatch(/^dist\/archive\/index\.html:\d+:\d+ {2}error {2}broken image \/missing\.png {2}\[check\/broken-image\]$/m);
    expect(r.stderr).toContain('✖ 2 broken links.');
  });

  it('takes build flags before the command too, and prints nothing with --quiet', async () => {
    const root = await makeSite({ ...BROKEN, 'posts/2024-01-01-links.md': post({ title: 'Links', date: '2024-01-01' }) });
    const r = await runCli(['--root', root, 'check', '--quiet'], { cwd: os.tmpdir() });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 on content errors without checking, as a build does', async () => {
    const root = await makeSite({ ...BROKEN, 'posts/bad.md': '---\ntitle: [unclosed\ndate: 2024-01-01\n---\n' });
    const r = await runCli(['check'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^posts\/bad\.md:\d+:\d+ {2}error {2}invalid YAML/m);
    expect(r.stderr).toContain('✖ 1 error. Nothing was written: dist/ is unchanged.');
    expect(r.stderr).not.toContain('check/');
  });

  it('exits 2 on a usage error', async () => {
    const r = await runCli(['check', '--watch'], { cwd: os.tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--watch'");
  });
});
