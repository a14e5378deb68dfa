import { describe, expect, it } from 'vitest';
import { parseFrontMatter, type FrontMatter } from '../../../src/content/frontmatter.js';
import type { Message } from '../../../src/util/messages.js';

const FILE = 'posts/a.md';

function parsed(text: string): FrontMatter {
  const result = parseFrontMatter(FILE, text);
  if ('messages' in result) throw new Error(`unexpected messages: ${JSON.stringify(result.messages)}`);
  return result.value;
}

function messages(text: string): Message[] {
  const result = parseFrontMatter(FILE, text);
  if ('value' in result) throw new Error('expected messages, got front matter');
  return result.messages;
}

describe('parseFrontMatter: valid front matter', () => {
  it('returns the data, each key’s line in the file, the body and where the body starts', () => {
    const text = ['---', 'title: Hello', 'date: 2024-03-01', 'tags: [a, b]', '---', 'Body line', 'more'].join('\n');
    expect(parsed(text)).toEqual({
      data: { title: 'Hello', date: '2024-03-01', tags: ['a', 'b'] },
      places: { title: { line: 2, column: 1 }, date: { line: 3, column: 1 }, tags: { line: 4, column: 1 } },
      body: 'Body line\nmore',
      bodyLine: 6,
    });
  });

  it.each([
    ['a closing fence and nothing after it', '---\ntitle: Hello\n---', '', 4],
    ['a closing fence and an empty line', '---\ntitle: Hello\n---\n', '', 4],
    ['"..." as the closing fence', '---\ntitle: Hello\n...\nbody', 'body', 4],
    ['trailing blanks on the fences', '---   \ntitle: Hello\n---\t\nbody', 'body', 4],
    ['a body with its own --- rule', '---\ntitle: Hello\n---\nA\n\n---\n\nB', 'A\n\n---\n\nB', 4],
    ['blank lines in the front matter', '---\n\ntitle: Hello\n\n---\nbody', 'body', 6],
  ])('accepts %s', (_, text, body, bodyLine) => {
    const fm = parsed(text);
    expect(fm.data).toEqual({ title: 'Hello' });
    expect(fm.body).toBe(body);
    expect(fm.bodyLine).toBe(bodyLine);
  });

  it('gives empty data for an empty block', () => {
    expect(parsed('---\n---\nbody')).toEqual({ data: {}, places: {}, body: 'body', bodyLine: 3 });
  });

  it.each([
    // YAML 1.2 core schema: dates stay text (the site's zone decides what they mean), yes/no stay text,
    // and numbers keep the form they were written in.
    ['date: 2024-03-01', { date: '2024-03-01' }],
    ['guest: yes', { guest: 'yes' }],
    ['draft: true', { draft: true }],
    ['n: 042', { n: '042' }],
    ['title: 2.10', { title: '2.10' }],
    ['a: &x [1]\nb: *x', { a: ['1'], b: ['1'] }],
  ])('reads %j with the YAML 1.2 core schema', (yaml, data) => {
    expect(parsed(`---\n${yaml}\n---\n`).data).toEqual(data);
  });

  it('reads text whose CRLF line ends were already normalised to LF', () => {
    const fm = parsed('---\ntitle: Hello\nsummary: Two\n---\nBody\n');
    expect(fm.data).toEqual({ title: 'Hello', summary: 'Two' });
    expect(fm.body).toBe('Body\n');
  });
});

describe('parseFrontMatter: problems', () => {
  it.each([
    ['---js', 'js'],
    ['--- js', 'js'],
    ['---javascript', 'javascript'],
    ['---toml', 'toml'],
  ])('refuses front matter in another language (%j) at line 1', (fence, language) => {
    const [m, ...rest] = messages(`${fence}\n{title: "x"}\n---\nbody`);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ file: FILE, line: 1, severity: 'error', rule: 'frontmatter/language' });
    expect(m!.reason).toContain(`"${language}"`);
  });

  it.each([
    ['no fence at all', 'Just a body'],
    ['an empty file', ''],
    ['a fence that is not on the first line', '\n---\ntitle: x\n---\n'],
  ])('reports missing front matter: %s', (_, text) => {
    expect(messages(text)).toEqual([
      expect.objectContaining({ file: FILE, line: 1, column: 1, severity: 'error', rule: 'frontmatter/missing' }),
    ]);
  });

  it('reports front matter that is never closed', () => {
    expect(messages('---\ntitle: Hello\nbody')).toEqual([
      expect.objectContaining({ line: 1, severity: 'error', rule: 'frontmatter/unclosed' }),
    ]);
  });

  it.each([
    // [what, front matter lines after the opening ---, line of the file the error must point at]
    ['an unclosed quote on line 4', 'title: Hello\ndate: 2024-03-01\nsummary: "unclosed', 4],
    ['an unquoted colon on line 2', 'title: Care: a new start', 2],
    ['an unclosed flow list on line 5', 'title: x\n\n\nfoo: [1, 2', 5],
    ['a bad indent on line 3', 'title: x\nfoo: bar\n  baz: 1', 3],
    ['a duplicate key on line 4', 'title: Hello\ndate: 2024-03-01\ntitle: Again', 4],
  ])('positions invalid YAML in the file: %s', (_, yaml, line) => {
    const all = messages(`---\n${yaml}\n---\nbody\n`);
    expect(all.length).toBeGreaterThan(0);
    for (const m of all) expect(m).toMatchObject({ file: FILE, severity: 'error', rule: 'frontmatter/yaml' });
    expect(all[0]!.line).toBe(line);
    expect(all[0]!.reason).toMatch(/^invalid YAML in the front matter: /);
  });

  it('names the duplicate key problem and hints at the fix', () => {
    const [m] = messages('---\ntitle: Hello\ntitle: Again\n---\n');
    expect(m).toMatchObject({ line: 3, column: 1, rule: 'frontmatter/yaml', hint: 'Each key may appear only once.' });
    expect(m!.reason).toMatch(/unique/);
  });

  it('hints at quoting a value with a colon', () => {
    const [m] = messages('---\ntitle: Care: a new start\n---\n');
    expect(m!.hint).toMatch(/must be quoted/);
  });

  it.each([
    ['a list', '- a\n- b'],
    ['a bare string', 'just a string'],
    ['a number', '42'],
  ])('reports front matter that is %s rather than keys and values', (_, yaml) => {
    expect(messages(`---\n${yaml}\n---\nbody`)).toEqual([
      expect.objectContaining({ line: 2, severity: 'error', rule: 'frontmatter/shape' }),
    ]);
  });
});
