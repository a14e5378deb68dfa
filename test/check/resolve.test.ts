import { describe, expect, it } from 'vitest';
import { hasFragment, isFreeFragment, pageUrl, resolveUrl } from '../../src/check/resolve.js';

describe('pageUrl', () => {
  it.each([
    ['index.html', '/', '/'],
    ['posts/a/index.html', '/', '/posts/a/'],
    ['posts/a/index.html', '/blog/', '/blog/posts/a/'],
    ['404.html', '/blog/', '/blog/404.html'],
    ['x/index.html.bak.html', '/', '/x/index.html.bak.html'],
  ])('%s under %s is served at %s', (output, base, expected) => {
    expect(pageUrl(output, base)).toBe(expected);
  });
});

describe('resolveUrl', () => {
  it.each([
    // [url, from, basePath, expected]
    ['/posts/a/', '/', '/', { kind: 'file', files: ['posts/a/index.html'], fragment: null }],
    ['/', '/posts/a/', '/', { kind: 'file', files: ['index.html'], fragment: null }],
    ['/feed.xml', '/', '/', { kind: 'file', files: ['feed.xml', 'feed.xml/index.html'], fragment: null }],
    ['/about', '/', '/', { kind: 'file', files: ['about', 'about/index.html'], fragment: null }],
    ['/search/?q=x#results', '/', '/', { kind: 'file', files: ['search/index.html'], fragment: 'results' }],
    ['#main', '/posts/a/', '/', { kind: 'file', files: ['posts/a/index.html'], fragment: 'main' }],
    ['', '/posts/a/', '/', { kind: 'file', files: ['posts/a/index.html'], fragment: null }],
    ['lead.png', '/blog/posts/a/', '/blog/', { kind: 'file', files: ['posts/a/lead.png', 'posts/a/lead.png/index.html'], fragment: null }],
    ['../b/', '/blog/posts/a/', '/blog/', { kind: 'file', files: ['posts/b/index.html'], fragment: null }],
    ['/blog/posts/caf%C3%A9/', '/blog/', '/blog/', { kind: 'file', files: ['posts/café/index.html'], fragment: null }],
    ['/blog/files/a%20b.pdf', '/blog/', '/blog/', { kind: 'file', files: ['files/a b.pdf', 'files/a b.pdf/index.html'], fragment: null }],
    ['/blog', '/blog/posts/a/', '/blog/', { kind: 'file', files: ['index.html'], fragment: null }],
  ])('%s from %s (base %s) leads to a file', (url, from, base, expected) => {
    expect(resolveUrl(url, from, base)).toEqual(expected);
  });

  it.each([
    ['https://example.org/posts/a/'],
    ['http://example.org/'],
    ['mailto:hello@example.org'],
    ['tel:+441234567890'],
    ['//cdn.example.org/x.js'],
    ['data:image/png;base64,iVBORw0KGgo='],
    ['javascript:void(0)'],
  ])('%s is external', (url) => {
    expect(resolveUrl(url, '/blog/posts/a/', '/blog/')).toEqual({ kind: 'external' });
  });

  it.each([
    ['/about/', '/blog/', 'it is outside the base path /blog/'],
    ['/blogger/', '/blog/', 'it is outside the base path /blog/'],
    ['../../../x/', '/blog/', 'it is outside the base path /blog/'],
    ['/blog/%E0%A4%A', '/blog/', 'its percent-encoding is malformed'],
    ['/blog/..%2F..%2Fetc/passwd', '/blog/', 'it leads outside the output folder'],
  ])('%s under base %s is broken: %s', (url, base, why) => {
    expect(resolveUrl(url, `${base}posts/a/`, base)).toEqual({ kind: 'broken', why });
  });
});

describe('fragments', () => {
  it.each([[null], [''], ['top'], ['TOP'], [':~:text=hello']])('%j needs no element', (fragment) => {
    expect(isFreeFragment(fragment)).toBe(true);
  });

  it('matches an id as written or percent-decoded', () => {
    const ids = new Set(['café', 'a%b']);
    expect(hasFragment(ids, 'caf%C3%A9')).toBe(true);
    expect(hasFragment(ids, 'café')).toBe(true);
    expect(hasFragment(ids, 'a%b')).toBe(true);
    expect(hasFragment(ids, 'cafe')).toBe(false);
  });
});
