import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build/index.js';
import { formatMessage } from '../../src/cli/reporter.js';
import { loadConfig } from '../../src/config/resolve.js';
import { buildSite, makeSite, NOW, post, snapshot } from '../helpers/site.js';

const GOOD = post({ title: 'Good post', date: '2024-01-01' }, 'Fine.');

function lines(messages: Parameters<typeof formatMessage>[0][]): string[] {
  return messages.map((m) => formatMessage(m).split('\n')[0]!);
}

/** A list nested `depth` levels deep, two spaces a level. */
function nestedList(depth: number): string {
  return Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
}

describe('limits on one source', () => {
  it('refuses front matter over 256 KB, naming the post, and builds the others', async () => {
    const keys = Array.from({ length: 30_000 }, (_, i) => `key${i}: value ${i}`).join('\n');
    const root = await makeSite({ 'posts/huge.md': `---\ntitle: Huge\ndate: 2024-01-02\n${keys}\n---\nBody\n`, 'posts/good.md': GOOD });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual([expect.stringMatching(/^posts\/huge\.md:1:1 {2}error {2}the front matter is \d+ KB, more than the limit of 256 KB {2}\[frontmatter\/too-large\]$/)]);
    expect(result.messages[0]!.hint).toContain('"limits"');
  });

  it('reads a large front matter once the config raises the limit', async () => {
    const keys = Array.from({ length: 30_000 }, (_, i) => `key${i}: value ${i}`).join('\n');
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ limits: { frontMatterBytes: 2_000_000 } }),
      'posts/huge.md': `---\ntitle: Huge\ndate: 2024-01-02\n${keys}\n---\nBody\n`,
    });
    const result = await buildSite(root);
    expect(result.messages).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('still finds a repeated key in a large front matter, on its line', async () => {
    const keys = Array.from({ length: 5_000 }, (_, i) => `key${i}: value ${i}`).join('\n');
    const root = await makeSite({ 'posts/a.md': `---\ntitle: A\ndate: 2024-01-02\n${keys}\nkey17: again\n---\nBody\n` });
    const result = await buildSite(root);
    expect(lines(result.messages)).toEqual([expect.stringMatching(/^posts\/a\.md:5004:1 {2}error {2}invalid YAML in the front matter: map keys must be unique; "key17" is repeated/)]);
  });

  it('refuses lists nested deeper than 100 levels, naming the line, before parsing them', async () => {
    const root = await makeSite({ 'posts/deep.md': `---\ntitle: Deep\ndate: 2024-01-02\n---\n${nestedList(1000)}\n`, 'posts/good.md': GOOD });
    const result = await buildSite(root);
    expect(lines(result.messages)).toEqual(['posts/deep.md:1004:1  error  lists and block quotes are nested 1000 levels deep here, more than the limit of 100  [markdown/too-deep]']);
    // No hint about plugins on a site that has none.
    expect(result.messages[0]!.hint).not.toContain('Plugins');
  });

  it('counts block quotes and lists on one line, alternating too, and lists nested inside a quote', async () => {
    const root = await makeSite({
      'posts/quotes.md': `---\ntitle: Q\ndate: 2024-01-02\n---\nIntro.\n\n${'> '.repeat(2000)}deep\n`,
      'posts/markers.md': `---\ntitle: M\ndate: 2024-01-03\n---\n${'- '.repeat(500)}item\n`,
      'posts/mixed.md': `---\ntitle: X\ndate: 2024-01-04\n---\n${'- > '.repeat(300)}item\n`,
      'posts/inside.md': `---\ntitle: I\ndate: 2024-01-05\n---\n${nestedList(200).split('\n').map((l) => `> ${l}`).join('\n')}\n`,
    });
    const result = await buildSite(root);
    expect(lines(result.messages)).toEqual([
      'posts/inside.md:204:1  error  lists and block quotes are nested 201 levels deep here, more than the limit of 100  [markdown/too-deep]',
      'posts/markers.md:5:1  error  lists and block quotes are nested 500 levels deep here, more than the limit of 100  [markdown/too-deep]',
      'posts/mixed.md:5:1  error  lists and block quotes are nested 600 levels deep here, more than the limit of 100  [markdown/too-deep]',
      'posts/quotes.md:7:1  error  lists and block quotes are nested 2000 levels deep here, more than the limit of 100  [markdown/too-deep]',
    ]);
  });

  it('builds lists, quotes and code as deep as real posts go, and thematic breaks of many stars', async () => {
    const code = `\`\`\`\n${nestedList(300)}\n\`\`\``;
    const root = await makeSite({ 'posts/a.md': `---\ntitle: A\ndate: 2024-01-02\n---\n${nestedList(40)}\n\n${'> '.repeat(30)}quoted\n\n${'* '.repeat(200)}\n\n${code}\n` });
    const result = await buildSite(root);
    expect(result.messages).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each([
    ['in this thread', 0],
    ['in worker threads', 2],
  ])('stops parsing a source that takes longer than limits.parseSeconds (%s) and reports it, building the others', async (_, parseWorkers) => {
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ limits: { nesting: 10_000, parseSeconds: 0.5 } }),
      // First of its chunk: the sources after it are parsed by the worker that takes over.
      'posts/a-slow.md': `---\ntitle: Slow\ndate: 2024-01-02\n---\n${nestedList(3000)}\n`,
      'posts/good.md': GOOD,
      'posts/bad.md': '---\ntitle: Bad\n---\nNo date.\n',
    });
    const config = await loadConfig({ root }, root);
    const result = await build(config, { now: NOW, parseWorkers });
    expect(result.ok).toBe(false);
    const found = lines(result.messages);
    expect(found).toContain('posts/a-slow.md:1:1  error  parsing this file took longer than 0.5 s and was stopped  [markdown/timeout]');
    // The other sources were parsed: the one with an error of its own reports it.
    expect(found.some((l) => l.startsWith('posts/bad.md'))).toBe(true);
    expect(result.state.parsed.get('posts/good.md')?.result.post?.title).toBe('Good post');
  });

  it('refuses limits that are not positive numbers, and unknown limits', async () => {
    for (const [limits, pattern] of [
      [{ nesting: 0 }, /"limits\.nesting" must be a number above 0/],
      [{ parseSeconds: 'ten' }, /"limits\.parseSeconds" must be a number above 0/],
      [{ nestng: 5 }, /unknown key "limits\.nestng" \(did you mean "nesting"\?\)/],
    ] as const) {
      const root = await makeSite({ 'gi-build.config.json': JSON.stringify({ limits }), 'posts/a.md': GOOD });
      await expect(buildSite(root)).rejects.toThrow(pattern);
    }
  });
});

describe('templates that never end', () => {
  it('stops a partial that includes itself and names it', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD, 'templates/partials/footer.hbs': '<footer>{{> footer}}</footer>' });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)[0]).toMatch(/^templates\/partials\/footer\.hbs {2}error {2}partials are nested more than 100 deep here: a partial includes itself, directly or through another, without end/);
  });

  it('stops two partials that include each other', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD, 'templates/partials/footer.hbs': '{{> ping}}', 'templates/partials/ping.hbs': '{{> footer}}' });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(result.messages[0]!.reason).toContain('includes itself');
  });

  it('lets a partial recurse over data as deep as it goes', async () => {
    const tree = (depth: number): unknown => (depth === 0 ? { name: 'leaf' } : { name: `n${depth}`, child: tree(depth - 1) });
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ params: { tree: tree(40) } }),
      'posts/a.md': GOOD,
      'templates/partials/node.hbs': '<i>{{name}}</i>{{#if child}}{{> node child}}{{/if}}',
      'templates/partials/footer.hbs': '<footer>{{> node site.params.tree}}</footer>',
    });
    const result = await buildSite(root);
    expect(result.messages).toEqual([]);
  });

  it.each([
    ['null', 'null', 'a helper threw null'],
    ['a string', '"oops"', 'a helper threw oops'],
    ['an object', '{ code: 1 }', 'a helper threw a value that is not an Error'],
  ])('names the template whose helper threw %s', async (_, value, reason) => {
    const root = await makeSite({
      'gi-build.config.mjs': `export default { helpers: { boom() { throw ${value}; } } };`,
      'posts/a.md': GOOD,
      'templates/partials/footer.hbs': '<footer>{{boom}}</footer>',
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)[0]).toBe(`templates/partials/footer.hbs  error  ${reason} (while rendering posts/a.md)  [template/render]`);
    expect(path.isAbsolute(root)).toBe(true);
  });
});

describe('the output after a source over a limit', () => {
  it('leaves the previous output as it was', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD });
    expect((await buildSite(root)).ok).toBe(true);
    const before = await snapshot(path.join(root, 'dist'));
    await import('../helpers/site.js').then(({ writeFiles }) => writeFiles(root, { 'posts/deep.md': `---\ntitle: Deep\ndate: 2024-01-02\n---\n${nestedList(500)}\n` }));
    expect((await buildSite(root)).ok).toBe(false);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
  });
});
