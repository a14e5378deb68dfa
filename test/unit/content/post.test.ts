import { describe, expect, it } from 'vitest';
import { createProcessor, renderBody } from '../../../src/content/markdown.js';
import { parseText } from '../../../src/content/post.js';

const processor = createProcessor({ markdown: { html: 'sanitize' }, remarkPlugins: [], rehypePlugins: [] });

function parse(body: string) {
  const text = `---\ntitle: A post\ndate: 2024-03-01\n---\n${body}`;
  const { post, messages } = parseText({ kind: 'post', path: 'posts/a.md', bundle: null }, Buffer.from(text), { timeZone: 'UTC' }, (f, b, l) => renderBody(processor, f, b, l));
  expect(messages).toEqual([]);
  return post!;
}

describe('word count and reading time', () => {
  it.each([
    ['an empty body', '', 0],
    ['one word', 'Hello', 1],
    ['words across blocks, lists, quotes and code', '# Two words\n\nThree *more* words.\n\n- one\n- two\n\n> a quote\n\n```\nfn() x\n```', 11],
    ['tabs, breaks and non-breaking spaces', 'a\tb  \nc\u00a0d\u2003e', 5],
    ['a table', '| a | b |\n| - | - |\n| c d | e |', 5],
    ['raw HTML around the text', '<div>one<span> two</span></div>\n\n<p>three</p>', 3],
  ])('counts %s', (_, body, words) => {
    const post = parse(body);
    expect(post.wordCount).toBe(words);
    // The count is the words of the text that is indexed and shown.
    expect(post.wordCount).toBe(post.text === '' ? 0 : post.text.split(/\s+/u).length);
  });

  it('reads at 220 words a minute, one minute at the least', () => {
    expect(parse('word '.repeat(10)).readingMinutes).toBe(1);
    expect(parse('word '.repeat(1100)).readingMinutes).toBe(5);
  });
});

describe('a body that fails to render', () => {
  const text = Buffer.from('---\ntitle: A post\ndate: 2024-03-01\n---\nBody\n');
  const failing = (err: unknown, plugins: boolean) =>
    parseText({ kind: 'post', path: 'posts/a.md', bundle: null }, text, { timeZone: 'UTC', plugins }, () => {
      throw err;
    }).messages;

  it('is too deep when the parser runs out of stack, plugins or not', () => {
    for (const plugins of [false, true]) {
      const [m] = failing(new RangeError('Maximum call stack size exceeded'), plugins);
      expect(m).toMatchObject({ file: 'posts/a.md', line: 5, rule: 'markdown/too-deep' });
      expect(m!.hint).not.toContain('remarkPlugins');
    }
  });

  it('blames the plugins only on a site that has them', () => {
    expect(failing(new Error('boom'), true)[0]).toMatchObject({ rule: 'markdown/plugin', reason: 'a Markdown plugin failed on this file: boom' });
    expect(failing(new Error('boom'), false)[0]).toMatchObject({ rule: 'markdown/render', reason: 'the Markdown of this post could not be rendered: boom' });
  });
});
