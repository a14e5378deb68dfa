import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../src/cli/reporter.js';
import { buildSite, exists, makeSite, post, readOut } from '../helpers/site.js';

/** Each message's first line, as the CLI prints it. */
function lines(messages: Parameters<typeof formatMessage>[0][]): string[] {
  return messages.map((m) => formatMessage(m).split('\n')[0]!);
}

/** Every text file of the built site, by path. */
async function outputTexts(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const dist = path.join(root, 'dist');
  for (const rel of await fs.readdir(dist, { recursive: true })) {
    if (/\.(html|xml|json|txt)$/.test(rel)) out[rel] = await fs.readFile(path.join(dist, rel), 'utf8');
  }
  return out;
}

const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

describe('front matter a visitor would see garbled', () => {
  it('builds a post with stray control characters, warns once per field, and publishes none of them', async () => {
    const root = await makeSite({
      'posts/2024-03-01-pasted.md': '---\ntitle: "Pasted\u0000 title"\ndate: 2024-03-01\nauthor: "Ann\u0085 Lee"\ntags: [travel, "fo\u0007od"]\nsummary: "A\u007f summary."\nmood: "calm\u0001"\n---\n\nSome text.\n',
      'templates/layouts/post.hbs': '<title>{{page.documentTitle}}</title><h1>{{post.title}}</h1><p class="mood">{{post.data.mood}}</p>',
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual([
      'posts/2024-03-01-pasted.md:2:1  warning  "title" contains an invisible control character (U+0000), which was removed  [frontmatter/control-character]',
      'posts/2024-03-01-pasted.md:4:1  warning  "author" contains an invisible control character (U+0085), which was removed  [frontmatter/control-character]',
      'posts/2024-03-01-pasted.md:5:1  warning  "tags" item 2 contains an invisible control character (U+0007), which was removed  [frontmatter/control-character]',
      'posts/2024-03-01-pasted.md:6:1  warning  "summary" contains an invisible control character (U+007F), which was removed  [frontmatter/control-character]',
      'posts/2024-03-01-pasted.md:7:1  warning  "mood" contains an invisible control character (U+0001), which was removed from what templates get  [frontmatter/control-character]',
    ]);
    const page = await readOut(root, 'posts/pasted/index.html');
    expect(page).toContain('<title>Pasted title – ');
    expect(page).toContain('<p class="mood">calm</p>');
    const texts = await outputTexts(root);
    expect(Object.keys(texts)).toEqual(expect.arrayContaining(['posts/pasted/index.html', 'index.html', 'feed.xml', 'feed.json', 'search/index.json']));
    for (const [file, text] of Object.entries(texts)) expect(CONTROLS.test(text), file).toBe(false);
  });

  it('refuses a slug with a control character, saying which field', async () => {
    const root = await makeSite({ 'posts/a.md': '---\ntitle: A\ndate: 2024-03-01\nslug: "my\u0000post"\n---\n' });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual([
      'posts/a.md:4:1  error  "slug" contains an invisible control character (U+0000), so gi-build cannot tell which URL was meant  [frontmatter/control-character]',
    ]);
  });

  it('refuses a date whose offset from UTC is impossible', async () => {
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-03-01T10:00:00+99:00' }) });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual([
      'posts/a.md:3:1  error  "date": "2024-03-01T10:00:00+99:00" has an impossible offset from UTC (+99:00); offsets run from -12:00 to +14:00, e.g. +01:00 or -05:00  [frontmatter/date]',
    ]);
  });
});

describe('names that make no URL, or one Windows refuses', () => {
  it('warns about tags of punctuation alone and leaves them out everywhere', async () => {
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-03-01', tags: ['!!!', '—', 'travel'] }) });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual([
      'posts/a.md:4:1  warning  the tag "!!!" has no letters or digits to make a URL from, so it was left out  [frontmatter/empty-slug]',
      'posts/a.md:4:1  warning  the tag "—" has no letters or digits to make a URL from, so it was left out  [frontmatter/empty-slug]',
    ]);
    expect(await readOut(root, 'feed.xml')).not.toContain('!!!');
    expect(await exists(path.join(root, 'dist/tags/travel/index.html'))).toBe(true);
  });

  it('warns about a post and a tag whose folders Windows reserves, naming the file and the slug', async () => {
    const root = await makeSite({ 'posts/con.md': post({ title: 'Conference notes', date: '2024-03-01', tags: ['AUX'] }) });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual([
      'posts/con.md  warning  the slug "con" is a name Windows reserves for a device, so the folder for /posts/con/ cannot be created or checked out on Windows  [output/windows-reserved-name]',
      'posts/con.md:4:1  warning  the tag "AUX" gets the URL /tags/aux/, but Windows reserves the name "aux" for a device, so that folder cannot be created or checked out on Windows  [output/windows-reserved-name]',
    ]);
    expect(result.messages[0]!.hint).toBe('Give it another slug in its front matter, e.g. slug: con-post. Rename posts/con.md as well: Windows refuses that name too.');
  });
});

describe('a post saved as UTF-16', () => {
  it.each([
    ['with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(post({ title: 'A', date: '2024-03-01' }), 'utf16le')])],
    ['without a BOM', Buffer.from(post({ title: 'A', date: '2024-03-01' }), 'utf16le')],
  ])('is reported as UTF-16 %s, with how to fix it', async (_, bytes) => {
    const root = await makeSite({ 'posts/a.md': bytes });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(result.messages.map((m) => formatMessage(m))).toEqual([
      expect.stringMatching(/^posts\/a\.md:1:1 {2}error {2}the file was saved as UTF-16 text, which gi-build does not read {2}\[content\/encoding\]\n.*Save it as UTF-8 in your editor/),
    ]);
  });
});
