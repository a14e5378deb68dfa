import { describe, expect, it } from 'vitest';
import { pageLinks, srcsetUrls } from '../../src/check/html.js';

describe('srcsetUrls', () => {
  it.each([
    ['a.png', ['a.png']],
    ['a.png 1x, b.png 2x', ['a.png', 'b.png']],
    ['a.png 480w,b.png 800w', ['a.png', 'b.png']],
    ['  a.png  ,  b.png 2x  ', ['a.png', 'b.png']],
    ['a.png,b.png', ['a.png,b.png']],
    ['a.png, b.png,', ['a.png', 'b.png']],
    ['x,y.png 1x, z.png 2x', ['x,y.png', 'z.png']],
    ['a.png (foo, bar) 1x, b.png', ['a.png', 'b.png']],
    ['', []],
  ])('%j has candidates %j', (value, urls) => {
    expect(srcsetUrls(value)).toEqual(urls);
  });
});

describe('pageLinks', () => {
  it('lists link, image, srcset, form and script references with their positions', () => {
    const html = [
      '<!doctype html><html><head>',
      '<link rel="stylesheet" href="/style.css"><script src="/app.js"></script></head><body>',
      '<a href=" /a/ ">a</a> <img src="/i.png" srcset="/i-1.png 1x, /i-2.png 2x">',
      '<picture><source srcset="/p.webp"><img src="/p.png" alt=""></picture>',
      '<video src="/v.mp4" poster="/poster.jpg"><source src="/v.webm"></video>',
      '<form action="/search/" method="get"></form><form action="/post" method="post"></form>',
      '<input type="image" src="/go.png" alt="Go">',
      '<svg><use href="#icon"></use></svg>',
      '</body></html>',
    ].join('\n');
    const { refs } = pageLinks(html);
    expect(refs.map((r) => [r.url, r.kind])).toEqual([
      ['/style.css', 'link'],
      ['/app.js', 'link'],
      ['/a/', 'link'],
      ['/i.png', 'image'],
      ['/i-1.png', 'image'],
      ['/i-2.png', 'image'],
      ['/p.webp', 'image'],
      ['/p.png', 'image'],
      ['/v.mp4', 'link'],
      ['/poster.jpg', 'image'],
      ['/v.webm', 'link'],
      ['/search/', 'link'],
      ['/go.png', 'image'],
      ['#icon', 'link'],
    ]);
    expect(refs[2]).toMatchObject({ line: 3, column: 4 });
  });

  it('collects ids and <a name> anchors as fragment targets', () => {
    const { ids } = pageLinks('<h2 id="intro">x</h2><a name="old-anchor"></a><svg><g id="icon"></g></svg><p name="not-an-anchor"></p>');
    expect([...ids].sort()).toEqual(['icon', 'intro', 'old-anchor']);
  });

  it('checks links inside <noscript> and leaves <template> content to scripts', () => {
    const { refs } = pageLinks('<noscript><a href="/no-js/">x</a></noscript><template><a href="{url}">y</a></template>');
    expect(refs.map((r) => r.url)).toEqual(['/no-js/']);
  });
});
