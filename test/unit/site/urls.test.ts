import { describe, expect, it } from 'vitest';
import { absoluteUrl, fillPermalink, normaliseUrl, outputPath, paginationUrl, withBase } from '../../../src/site/urls.js';

describe('fillPermalink', () => {
  it.each([
    [':slug', 'hello', '2024-03-01', '/hello/'],
    ['/posts/:slug/', 'hello', '2024-03-01', '/posts/hello/'],
    ['/:year/:month/:slug/', 'hello', '2024-03-01', '/2024/03/hello/'],
    ['/:year/:month/:day/:slug', 'hello', '2024-03-01', '/2024/03/01/hello/'],
    ['posts/:slug', 'hello', null, '/posts/hello/'],
    ['//posts//:slug//', 'x', null, '/posts/x/'],
    // A page has no date: the date parts drop out instead of leaving empty segments.
    ['/:year/:slug/', 'x', null, '/x/'],
    ['/:slug.html', 'x', null, '/x.html'],
    ['/:slug/:slug/', 'x', null, '/x/x/'],
  ])('%j with slug %j and day %j is %j', (pattern, slug, day, url) => {
    expect(fillPermalink(pattern, slug, day)).toBe(url);
  });
});

describe('normaliseUrl', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['a', '/a/'],
    ['a/b', '/a/b/'],
    ['//a//b', '/a/b/'],
    ['/a/b/', '/a/b/'],
    ['/feed.xml', '/feed.xml'],
    ['a.b/c', '/a.b/c/'],
    ['/a/b.c/', '/a/b.c/'],
  ])('%j → %j', (url, expected) => {
    expect(normaliseUrl(url)).toBe(expected);
  });
});

describe('paginationUrl', () => {
  it.each([
    ['/', 1, '/'],
    ['/', 0, '/'],
    ['/', 2, '/page/2/'],
    ['/tags/x/', 3, '/tags/x/page/3/'],
  ])('page %i of %j… is %j', (first, n, url) => {
    expect(paginationUrl(first, n)).toBe(url);
  });
});

describe('outputPath', () => {
  it.each([
    ['/', 'index.html'],
    ['', 'index.html'],
    ['/posts/x/', 'posts/x/index.html'],
    ['posts/x/', 'posts/x/index.html'],
    ['//a/', 'a/index.html'],
    ['/feed.xml', 'feed.xml'],
    ['/404.html', '404.html'],
  ])('%j is written to %j', (url, file) => {
    expect(outputPath(url)).toBe(file);
  });
});

describe('withBase', () => {
  it.each([
    ['/', '/', '/'],
    ['/', '/posts/x/', '/posts/x/'],
    ['/', '/feed.xml', '/feed.xml'],
    ['/blog/', '/', '/blog/'],
    ['/blog/', '/posts/x/', '/blog/posts/x/'],
    ['/blog/', '/feed.xml', '/blog/feed.xml'],
    ['/a/b/', '/tags/x/page/2/', '/a/b/tags/x/page/2/'],
  ])('base %j + %j is %j', (base, url, expected) => {
    expect(withBase(base, url)).toBe(expected);
  });
});

describe('absoluteUrl', () => {
  it.each([
    ['https://example.org', '/', '/', 'https://example.org/'],
    ['https://example.org', '/', '/posts/x/', 'https://example.org/posts/x/'],
    ['https://example.org', '/blog/', '/', 'https://example.org/blog/'],
    ['https://example.org', '/blog/', '/feed.xml', 'https://example.org/blog/feed.xml'],
  ])('%s + %j + %j is %s', (baseUrl, basePath, url, expected) => {
    expect(absoluteUrl(baseUrl, basePath, url)).toBe(expected);
  });
});
