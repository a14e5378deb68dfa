import { describe, expect, it } from 'vitest';
import { createProcessor, renderBody } from '../../../src/content/markdown.js';
import { encodeTarget, REF_SCHEME } from '../../../src/content/refs.js';
import { absoluteFragments, resolveLinks } from '../../../src/site/links.js';

const refUrls = new Map([
  ['posts/other.md', '/posts/other/'],
  ['pages/about.md', '/about/'],
  ['posts/my file.md', '/posts/my-file/'],
  ['posts/日本語.md', '/posts/日本語/'],
  ['posts/a?b.md', '/posts/ab/'],
]);

const ref = (target: string, suffix = '') => `<a href="${REF_SCHEME}${encodeTarget(target)}${suffix}">x</a>`;
const inPage = (url: string) => `/blog${url}`;
const inFeed = (url: string) => `https://example.org/blog${url}`;

describe('resolveLinks', () => {
  it.each([
    ['a known post', ref('posts/other.md'), inPage, '<a href="/blog/posts/other/">x</a>'],
    ['a known post, for a feed', ref('posts/other.md'), inFeed, '<a href="https://example.org/blog/posts/other/">x</a>'],
    ['a fragment after the placeholder', ref('posts/other.md', '#frag'), inPage, '<a href="/blog/posts/other/#frag">x</a>'],
    ['a query after the placeholder', ref('pages/about.md', '?a=1'), inPage, '<a href="/blog/about/?a=1">x</a>'],
    ['a target with a space', ref('posts/my file.md'), inPage, '<a href="/blog/posts/my-file/">x</a>'],
    ['a target with ? in its name', ref('posts/a?b.md'), inPage, '<a href="/blog/posts/ab/">x</a>'],
    ['a non-ASCII URL, percent-encoded', ref('posts/日本語.md'), inPage, '<a href="/blog/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/">x</a>'],
    ['an unknown file, kept as a site path', ref('img/p.png'), inPage, '<a href="/blog/img/p.png">x</a>'],
    ['a site URL', ref('/tags/news/'), inPage, '<a href="/blog/tags/news/">x</a>'],
  ])('resolves %s', (_, html, toHref, expected) => {
    expect(resolveLinks(html, refUrls, toHref)).toBe(expected);
  });

  it('resolves every placeholder and leaves other HTML alone', () => {
    const html = `<p>${ref('posts/other.md')} <a href="https://example.org/">e</a> <img src="${REF_SCHEME}${encodeTarget('img/p.png')}" alt="gi-ref"></p>`;
    expect(resolveLinks(html, refUrls, inPage)).toBe(
      '<p><a href="/blog/posts/other/">x</a> <a href="https://example.org/">e</a> <img src="/blog/img/p.png" alt="gi-ref"></p>',
    );
  });
});

describe('renderBody → resolveLinks', () => {
  const processor = createProcessor({ markdown: { html: 'sanitize' }, remarkPlugins: [], rehypePlugins: [] });

  // The site stage maps each recorded ref.target to a URL; resolveLinks must look up that same key.
  // BUG for the last two rows: renderBody records `posts/c%23.md` (decodeURI keeps %23 and %3F), but
  // resolveLinks turns the placeholder back into `posts/c#.md`, misses, and writes a broken href.
  it.each([
    ['[x](other.md)'],
    ['[x](my%20file.md)'],
    ['[x](100%25.md)'],
    ['[x](a%2Fb.md)'],
    ['![x](img/p.png)'],
    ['[x](c%23.md)'],
    ['[x](what%3F.md)'],
  ])('resolves %j through the key renderBody recorded', (markdown) => {
    const { html, refs } = renderBody(processor, 'posts/a.md', markdown, 1);
    expect(refs).toHaveLength(1);
    const resolved = resolveLinks(html, new Map([[refs[0]!.target, '/resolved/']]), (url) => url);
    expect(resolved).toMatch(/(href|src)="\/resolved\/"/);
  });
});

describe('absoluteFragments', () => {
  it.each([
    ['<a href="#user-content-fn-1">1</a>', '<a href="https://example.org/posts/a/#user-content-fn-1">1</a>'],
    ['<img src="#x">', '<img src="https://example.org/posts/a/#x">'],
    ['<a href="/x#y">', '<a href="/x#y">'],
    ['<a href="https://e.org/#y">', '<a href="https://e.org/#y">'],
    ['<p>#not-a-link</p>', '<p>#not-a-link</p>'],
  ])('%j → %j', (html, expected) => {
    expect(absoluteFragments(html, 'https://example.org/posts/a/')).toBe(expected);
  });
});
