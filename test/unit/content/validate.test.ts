import { describe, expect, it } from 'vitest';
import { parseFrontMatter, type FrontMatter } from '../../../src/content/frontmatter.js';
import { cleanData, validateMeta, type Meta } from '../../../src/content/validate.js';

const FILE = 'posts/a.md';
const ZONE = 'Europe/London';

/** Front matter from its YAML lines, parsed for real so each key has its line in the file. */
function fm(...lines: string[]): FrontMatter {
  const result = parseFrontMatter(FILE, ['---', ...lines, '---', ''].join('\n'));
  if ('messages' in result) throw new Error(`bad test input: ${JSON.stringify(result.messages)}`);
  return result.value;
}

const EMPTY_META: Meta = {
  title: '',
  date: null,
  updated: null,
  authors: [],
  authorRole: null,
  guest: false,
  series: null,
  tags: [],
  summary: null,
  image: null,
  imageAlt: null,
  imageCaption: null,
  imageCredit: null,
  slug: null,
  draft: false,
  layout: null,
};

describe('validateMeta: valid front matter', () => {
  it('accepts a minimal post', () => {
    expect(validateMeta(FILE, 'post', fm('title: Hello', 'date: 2024-03-01'), ZONE)).toEqual({
      meta: { ...EMPTY_META, title: 'Hello', date: { instant: Date.UTC(2024, 2, 1), day: '2024-03-01', hasTime: false } },
      messages: [],
    });
  });

  it('accepts a page without a date', () => {
    expect(validateMeta(FILE, 'page', fm('title: About'), ZONE)).toEqual({ meta: { ...EMPTY_META, title: 'About' }, messages: [] });
  });

  it.each<[string, string[], Partial<Meta>]>([
    ['tags as a comma-separated string', ['tags: "a, b ,, c"'], { tags: ['a', 'b', 'c'] }],
    ['tags as a list', ['tags: [a, " b ", 2024]'], { tags: ['a', 'b', '2024'] }],
    ['one author as text', ['author: Ann Smith'], { authors: ['Ann Smith'] }],
    ['an author name with a comma, kept whole', ['author: "Smith, Jane"'], { authors: ['Smith, Jane'] }],
    ['two authors as a list', ['author: [Ann, Bo]'], { authors: ['Ann', 'Bo'] }],
    ['flags', ['guest: true', 'draft: false'], { guest: true, draft: false }],
    ['text is trimmed; a number is text', ['summary: "  Short.  "', 'series: 2024'], { summary: 'Short.', series: '2024' }],
    ['an updated date-time', ['updated: 2024-03-02T10:00:00Z'], { updated: { instant: Date.UTC(2024, 2, 2, 10), day: '2024-03-02', hasTime: true } }],
    ['a layout name', ['layout: wide'], { layout: 'wide' }],
    ['image with alt text', ['image: a.jpg', 'imageAlt: A cat'], { image: 'a.jpg', imageAlt: 'A cat' }],
  ])('reads %s', (_, lines, expected) => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', ...lines), ZONE);
    expect(messages).toEqual([]);
    expect(meta).toMatchObject(expected);
  });
});

describe('validateMeta: errors', () => {
  it('reports a missing title and a bad date together, each positioned', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('summary: x', 'date: 2023-02-29'), ZONE);
    expect(meta).toBeNull();
    expect(messages).toEqual([
      expect.objectContaining({ line: 1, severity: 'error', rule: 'frontmatter/title' }),
      expect.objectContaining({ line: 3, column: 1, severity: 'error', rule: 'frontmatter/date' }),
    ]);
    expect(messages[1]!.reason).toContain('not a real calendar date');
  });

  it('reports a post without a date', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: Hello'), ZONE);
    expect(meta).toBeNull();
    expect(messages).toEqual([expect.objectContaining({ severity: 'error', rule: 'frontmatter/date' })]);
  });

  // An empty date must not reach the site stage, which needs every post's day.
  it.each([['date:'], ['date: ""'], ['date: ~']])('reports a post whose date is empty (%j)', (line) => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: Hello', line), ZONE);
    expect(meta).toBeNull();
    expect(messages).toEqual([expect.objectContaining({ severity: 'error', rule: 'frontmatter/date' })]);
  });

  it('accepts a page whose date is empty', () => {
    const { meta, messages } = validateMeta(FILE, 'page', fm('title: About', 'date:'), ZONE);
    expect(messages).toEqual([]);
    expect(meta).toMatchObject({ date: null });
  });

  it.each([
    ['guest: "yes"', 'frontmatter/guest', /"guest" must be true or false, not string "yes"/],
    ['guest: yes', 'frontmatter/guest', /must be true or false/],
    ['draft: 1', 'frontmatter/draft', /must be true or false, not string "1"/],
    ['title: [a, b]', 'frontmatter/title', /"title" must be text, not a list/],
    ['summary: {a: 1}', 'frontmatter/summary', /must be text, not a group of keys/],
    ['tags: {a: 1}', 'frontmatter/tags', /^"tags" must be a list of names or a comma-separated string, not a group of keys$/],
    ['tags: [[a]]', 'frontmatter/tags', /^"tags" must be a list of names, but item 1 is a list$/],
    ['author: {a: 1}', 'frontmatter/author', /^"author" must be a name or a list of names, not a group of keys$/],
    ['updated: 2024', 'frontmatter/updated', /"2024" is not a date/],
    ['updated: nope', 'frontmatter/updated', /"nope" is not a date/],
    ['layout: "../x"', 'frontmatter/layout', /must be a layout name/],
    ['title: ""', 'frontmatter/title', /"title" is empty/],
    ['title: "   "', 'frontmatter/title', /"title" is empty/],
  ])('rejects %j', (line, rule, reason) => {
    // The line under test is the last key, so it sits on line 4 of the file.
    const lines = line.startsWith('title') ? ['date: 2024-03-01', 'x-pad: 1', line] : ['title: T', 'date: 2024-03-01', line];
    const { meta, messages } = validateMeta(FILE, 'post', fm(...lines), ZONE);
    expect(meta).toBeNull();
    const m = messages.find((x) => x.rule === rule);
    expect(m).toMatchObject({ file: FILE, line: 4, column: 1, severity: 'error' });
    expect(m!.reason).toMatch(reason);
  });
});

describe('validateMeta: warnings', () => {
  it.each([
    ['tittle', 'title', ['date: 2024-03-01', 'tittle: Hello']],
    ['autor', 'author', ['title: T', 'date: 2024-03-01', 'autor: Ann']],
    ['tag', 'tags', ['title: T', 'date: 2024-03-01', 'tag: news']],
    ['imagealt', 'imageAlt', ['title: T', 'date: 2024-03-01', 'imagealt: A cat']],
  ])('suggests a known key for the typo %j', (typo, known, lines) => {
    const { messages } = validateMeta(FILE, 'post', fm(...lines), ZONE);
    // The typo is the last key: the opening --- is line 1, so it sits on line lines.length + 1.
    expect(messages).toContainEqual(
      expect.objectContaining({ line: lines.length + 1, severity: 'warning', rule: 'frontmatter/unknown-key', reason: `unknown key "${typo}": did you mean "${known}"?` }),
    );
  });

  it('keeps a post with typo warnings', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', 'autor: Ann'), ZONE);
    expect(meta).not.toBeNull();
    expect(messages.map((m) => m.severity)).toEqual(['warning']);
  });

  it.each([
    ['a key with no near match', ['colour: red']],
    ['a typo of a key that is also present', ['author: Ann', 'autor: Ann']],
  ])('says nothing about %s', (_, extra) => {
    expect(validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', ...extra), ZONE).messages).toEqual([]);
  });

  it('warns when a lead image has no alt text, at the image line', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', 'image: a.jpg'), ZONE);
    expect(meta).not.toBeNull();
    expect(messages).toEqual([expect.objectContaining({ line: 4, severity: 'warning', rule: 'frontmatter/imageAlt' })]);
  });

  it('accepts imageAlt: "" as a decorative image', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', 'image: a.jpg', 'imageAlt: ""'), ZONE);
    expect(messages).toEqual([]);
    expect(meta).toMatchObject({ image: 'a.jpg', imageAlt: null });
  });
});

/** The first message of a rule, for tests that look at one. */
function only(messages: { rule: string }[], rule: string) {
  const found = messages.filter((m) => m.rule === rule);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('validateMeta: a list with an item that is not a name', () => {
  it.each([
    ['a nested list', ['tags:', '  - travel', '  - [a, b]'], 'frontmatter/tags', '"tags" must be a list of names, but item 2 is a list'],
    ['a group of keys', ['tags: [travel, {food: 1}]'], 'frontmatter/tags', '"tags" must be a list of names, but item 2 is a group of keys'],
    ['an unquoted "key: value"', ['tags: [travel, C: the language]'], 'frontmatter/tags', '"tags" must be a list of names, but item 2 is a group of keys'],
    ['an empty item', ['author:', '  - Ann', '  -'], 'frontmatter/author', '"author" must be a list of names, but item 2 is empty'],
    ['true or false', ['tags: [travel, true]'], 'frontmatter/tags', '"tags" must be a list of names, but item 2 is boolean true'],
  ])('names the item when it is %s', (_, lines, rule, reason) => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', ...lines), ZONE);
    expect(meta).toBeNull();
    expect(messages).toEqual([
      expect.objectContaining({ line: 4, column: 1, severity: 'error', rule, reason, hint: expect.stringMatching(/^Write each name as text, e\.g\. (tags|author): \[/) }),
    ]);
  });
});

describe('validateMeta: control characters', () => {
  it('removes a stray NUL from the title with a warning naming the field and line', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('date: 2024-03-01', 'title: Hello\u0000 world'), ZONE);
    expect(meta).toMatchObject({ title: 'Hello world' });
    expect(messages).toEqual([
      {
        file: FILE,
        line: 3,
        column: 1,
        severity: 'warning',
        reason: '"title" contains an invisible control character (U+0000), which was removed',
        rule: 'frontmatter/control-character',
        hint: 'Delete it from the front matter: an editor that shows invisible characters will reveal where (they often come with text copied from a PDF or another program).',
      },
    ]);
  });

  it.each<[string, string[], Partial<Meta>, string]>([
    ['DEL and C1 in an author name', ['author: "An\u007fn Le\u0085e"'], { authors: ['Ann Lee'] }, '"author" contains invisible control characters (U+007F, U+0085), which were removed'],
    ['a bell in one tag of several', ['tags: [travel, "fo\u0007od"]'], { tags: ['travel', 'food'] }, '"tags" item 2 contains an invisible control character (U+0007), which was removed'],
    ['an escape in a comma-separated tag', ['tags: "travel, \u001b[31mfood"'], { tags: ['travel', '[31mfood'] }, '"tags" item 2 contains an invisible control character (U+001B), which was removed'],
    ['a NUL in the summary, whose line breaks stay', ['summary: |', '  One\u0000 line.', '  \tTwo.'], { summary: 'One line.\n\tTwo.' }, '"summary" contains an invisible control character (U+0000), which was removed'],
    ['a C1 control in the series', ['series: "Go\u009b basics"'], { series: 'Go basics' }, '"series" contains an invisible control character (U+009B), which was removed'],
    ['a form feed in the image caption', ['imageCaption: "A\fcat"'], { imageCaption: 'Acat' }, '"imageCaption" contains an invisible control character (U+000C), which was removed'],
    ['a NUL in the author role', ['authorRole: "Edi\\0tor"'], { authorRole: 'Editor' }, '"authorRole" contains an invisible control character (U+0000), which was removed'],
  ])('cleans %s', (_, lines, expected, reason) => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', ...lines), ZONE);
    expect(meta).toMatchObject(expected);
    expect(messages).toEqual([expect.objectContaining({ line: 4, severity: 'warning', rule: 'frontmatter/control-character', reason })]);
  });

  it('a tag of control characters alone is dropped', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', 'tags: [travel, "\u0000"]'), ZONE);
    expect(meta).toMatchObject({ tags: ['travel'] });
    expect(messages.map((m) => m.rule)).toEqual(['frontmatter/control-character']);
  });

  it('turns tabs and line breaks in one-line text into spaces, without a warning', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: "Tab\\there,\\nbreak there"', 'date: 2024-03-01', 'tags: ["a\tb"]'), ZONE);
    expect(messages).toEqual([]);
    expect(meta).toMatchObject({ title: 'Tab here, break there', tags: ['a b'] });
  });

  it.each([
    ['slug', 'slug: "my\u0000post"', '"slug" contains an invisible control character (U+0000), so gi-build cannot tell which URL was meant'],
    ['image', 'image: "cat\u0007.jpg"', '"image" contains an invisible control character (U+0007), so gi-build cannot tell which file was meant'],
    ['layout', 'layout: "wide\u0000"', '"layout" contains an invisible control character (U+0000), so gi-build cannot tell which layout was meant'],
    ['updated', 'updated: "2024-03-02\u0000"', '"updated" contains an invisible control character (U+0000), so gi-build cannot tell which date was meant'],
  ])('refuses a control character in %s, which picks what is published', (_, line, reason) => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', line), ZONE);
    expect(meta).toBeNull();
    expect(messages).toEqual([expect.objectContaining({ line: 4, severity: 'error', rule: 'frontmatter/control-character', reason, hint: expect.stringMatching(/^Delete it from the front matter/) })]);
  });

  it('warns about a key of its own that templates get cleaned', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', 'subtitle: "A\u0000B"', 'links: [{text: "x\u0001"}]'), ZONE);
    expect(meta).not.toBeNull();
    expect(messages).toEqual([
      expect.objectContaining({ line: 4, severity: 'warning', rule: 'frontmatter/control-character', reason: '"subtitle" contains an invisible control character (U+0000), which was removed from what templates get' }),
      expect.objectContaining({ line: 5, severity: 'warning', rule: 'frontmatter/control-character', reason: '"links" contains an invisible control character (U+0001), which was removed from what templates get' }),
    ]);
  });
});

describe('cleanData', () => {
  it('removes control characters from every string, at any depth, and keeps the rest', () => {
    const data = { title: 'a\u0000b', n: 2, on: true, none: null, list: ['c\u009fd', { e: 'f\u007fg\th\ni' }] };
    expect(cleanData(data)).toEqual({ title: 'ab', n: 2, on: true, none: null, list: ['cd', { e: 'fg\th\ni' }] });
    expect(data.title).toBe('a\u0000b');
  });
});

describe('validateMeta: dates', () => {
  it('refuses an impossible offset, naming the field', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01T10:00:00+99:00'), ZONE);
    expect(meta).toBeNull();
    expect(messages).toEqual([
      expect.objectContaining({
        line: 3,
        severity: 'error',
        rule: 'frontmatter/date',
        reason: '"date": "2024-03-01T10:00:00+99:00" has an impossible offset from UTC (+99:00); offsets run from -12:00 to +14:00, e.g. +01:00 or -05:00',
      }),
    ]);
  });
});

describe('validateMeta: names that make no URL', () => {
  it('warns about and drops tags of punctuation alone, naming each and its line', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', 'tags: ["!!!", "—", travel]'), ZONE);
    expect(meta).toMatchObject({ tags: ['travel'] });
    expect(messages).toEqual(
      ['!!!', '—'].map((name) => ({
        file: FILE,
        line: 4,
        column: 1,
        severity: 'warning',
        reason: `the tag "${name}" has no letters or digits to make a URL from, so it was left out`,
        rule: 'frontmatter/empty-slug',
        hint: 'Give the tag a name with at least one letter or digit, or remove it.',
      })),
    );
  });

  it('keeps an author of punctuation alone, shown without a link', () => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', 'author: "—"'), ZONE);
    expect(meta).toMatchObject({ authors: ['—'] });
    expect(only(messages, 'frontmatter/empty-slug')).toMatchObject({
      line: 4,
      severity: 'warning',
      reason: 'the author "—" has no letters or digits to make a URL from, so the name is shown without a link to an author page',
    });
  });

  it('warns about a series of punctuation alone', () => {
    const { messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', 'series: "???"'), ZONE);
    expect(only(messages, 'frontmatter/empty-slug')).toMatchObject({ line: 4, severity: 'warning', reason: expect.stringMatching(/^the series "\?\?\?" has no letters or digits/) });
  });

  it.each<[string, string, string]>([
    ['tags: [travel, Con]', 'the tag "Con" gets the URL /tags/con/, but Windows reserves the name "con"', 'Rename the tag so that it makes another URL, e.g. "Con tag".'],
    ['tags: "news, LPT1"', 'the tag "LPT1" gets the URL /tags/lpt1/, but Windows reserves the name "lpt1"', 'Rename the tag so that it makes another URL, e.g. "LPT1 tag".'],
    ['series: Aux', 'the series "Aux" gets the URL /series/aux/, but Windows reserves the name "aux"', 'Rename the series so that it makes another URL, e.g. "Aux series".'],
    ['author: [Ann, Nul]', 'the author "Nul" gets the URL /authors/nul/, but Windows reserves the name "nul"', "Write the author's name in full (e.g. first and last name), so that it makes another URL."],
  ])('warns when %s makes a folder Windows reserves', (line, reason, hint) => {
    const { meta, messages } = validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', line), ZONE);
    expect(meta).not.toBeNull();
    expect(messages).toEqual([
      expect.objectContaining({
        line: 4,
        severity: 'warning',
        rule: 'output/windows-reserved-name',
        reason: `${reason} for a device, so that folder cannot be created or checked out on Windows`,
        hint,
      }),
    ]);
  });

  it('keeps a tag whose folder Windows reserves', () => {
    expect(validateMeta(FILE, 'post', fm('title: T', 'date: 2024-03-01', 'tags: [con]'), ZONE).meta).toMatchObject({ tags: ['con'] });
  });
});
