import { describe, expect, it } from 'vitest';
import { isWindowsReserved, slugFromFileName, slugify } from '../../../src/site/slug.js';

describe('slugify', () => {
  it.each([
    ['Hello World', 'hello-world'],
    ['hello-world', 'hello-world'],
    ['  spaced  ', 'spaced'],
    ['fooBar', 'foobar'],
    ['100% Pure', '100-pure'],
    ['2024', '2024'],
    // Transliterated where a transliteration exists.
    ['Schäfer', 'schaefer'],
    ['Crème brûlée', 'creme-brulee'],
    ['ß', 'ss'],
    ['Мир', 'mir'],
    ['Ελληνικά', 'ellinika'],
    // Kept as Unicode letters where none exists.
    ['日本語', '日本語'],
    ['東京 タワー', '東京-タワー'],
    ['한국어', '한국어'],
    // Path syntax never survives.
    ['../../etc', 'etc'],
    ['a/b', 'a-b'],
    ['a/../b', 'a-b'],
    ['a..b', 'a-b'],
    // Nothing usable left.
    ['!!!', ''],
    ['..', ''],
    ['. . .', ''],
    ['', ''],
  ])('%j → %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it.each(['../../etc/passwd', '..\\..\\x', '/abs/path', 'a/./b', '日本/../語', '%2e%2e/x', 'C:\\x'])(
    '%j gives a single safe URL segment',
    (name) => {
      const slug = slugify(name);
      expect(slug).not.toMatch(/[/\\]/);
      expect(slug).not.toContain('..');
      expect(slug).not.toMatch(/^[-.]|[-.]$/);
    },
  );

  // BUG: letters without a transliteration are dropped when the name also has Latin letters or
  // digits, contrary to the doc comment ("otherwise kept as Unicode letters"). Tags "日本語 2024"
  // and "2024" then share the URL /tags/2024/.
  it.each([
    ['Tokyo 東京', 'tokyo-東京'],
    ['日本語 2024', '日本語-2024'],
  ])('keeps letters without a transliteration in mixed names: %j → %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});

describe('slugFromFileName', () => {
  it.each([
    ['2024-03-01-hello-world.md', 'hello-world'],
    ['2024-03-01_hello.md', 'hello'],
    ['hello.markdown', 'hello'],
    ['README.MD', 'readme'],
    ['Schäfer.md', 'schaefer'],
    ['a.b.md', 'a-b'],
    // A bare date is the whole name, not a prefix.
    ['2024-03-01.md', '2024-03-01'],
    ['2024-3-1-x.md', '2024-3-1-x'],
    // Only Markdown extensions are removed.
    ['x.txt', 'x-txt'],
  ])('%j → %j', (name, slug) => {
    expect(slugFromFileName(name)).toBe(slug);
  });
});

describe('isWindowsReserved', () => {
  it.each(['con', 'CON', 'Prn', 'aux', 'nul', 'com1', 'COM9', 'com0', 'lpt1', 'LPT9', 'com¹', 'con.txt', 'nul.tar.gz', 'aux .md', 'con.'])(
    '%j is reserved',
    (name) => {
      expect(isWindowsReserved(name)).toBe(true);
    },
  );

  it.each(['', 'cons', 'icon', 'con-txt', 'com', 'com10', 'lpt', 'nul-pointer', 'auxiliary', 'my.con', 'null'])('%j is allowed', (name) => {
    expect(isWindowsReserved(name)).toBe(false);
  });

  it('a file named con.md gives a reserved slug', () => {
    expect(isWindowsReserved(slugFromFileName('con.md'))).toBe(true);
  });
});
