import { describe, expect, it } from 'vitest';
import { parseFrontMatter, type FrontMatter } from '../../../src/content/frontmatter.js';
import { validateMeta, type Meta } from '../../../src/content/validate.js';

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
    ['tags: {a: 1}', 'frontmatter/tags', /must be a list of names or a comma-separated string/],
    ['tags: [[a]]', 'frontmatter/tags', /must be a list of names/],
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
