import type { Root as MdastRoot } from 'mdast';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { createProcessor, renderBody, type RenderedBody } from '../../../src/content/markdown.js';
import { encodeTarget } from '../../../src/content/refs.js';
import type { HtmlMode } from '../../../src/config/types.js';

const processors = {
  sanitize: createProcessor({ markdown: { html: 'sanitize' }, remarkPlugins: [], rehypePlugins: [] }),
  escape: createProcessor({ markdown: { html: 'escape' }, remarkPlugins: [], rehypePlugins: [] }),
  allow: createProcessor({ markdown: { html: 'allow' }, remarkPlugins: [], rehypePlugins: [] }),
};

function render(body: string, { html = 'sanitize', source = 'posts/a.md', firstLine = 1 }: { html?: HtmlMode; source?: string; firstLine?: number } = {}): RenderedBody {
  return renderBody(processors[html], source, body, firstLine);
}

describe('renderBody with html: sanitize', () => {
  it.each([
    ['an inline <script>', 'Hello <script>alert(1)</script> world', /<script|alert/],
    ['a block <script>', 'Hi\n\n<script>alert(2)</script>\n', /<script|alert/],
    ['an onerror handler', '<img src="https://example.org/x.png" onerror="alert(1)">', /onerror|alert/],
    ['an onclick handler', '<a href="https://example.org" onclick="alert(1)">x</a>', /onclick|alert/],
    ['a javascript: link', '[x](javascript:alert(1))', /javascript|alert/i],
    ['an upper-case JAVASCRIPT: link', '[x](JAVASCRIPT:alert(1))', /javascript|alert/i],
    ['a data: link', '[y](data:text/html,<b>hi</b>)', /data:/],
    ['a data: image', '![i](data:image/png;base64,AAAA)', /data:/],
    ['a raw <a> with javascript:', '<a href="javascript:alert(1)">x</a>', /javascript|alert/],
    ['an <iframe>', '<iframe src="https://evil.example"></iframe>', /<iframe/],
    ['a <style> block and its text', 'A\n\n<style>body{display:none}</style>\n', /<style|display:none/],
    ['a forged gi-ref: placeholder', '<a href="gi-ref:evil">e</a>', /gi-ref/],
  ])('removes %s', (_, body, forbidden) => {
    expect(render(body).html).not.toMatch(forbidden);
  });

  it('keeps the text around a removed element', () => {
    expect(render('Hello <script>alert(1)</script> world').text).toBe('Hello world');
  });

  it('keeps safe links', () => {
    const { html } = render('[ext](https://example.org) [mail](mailto:a@b.c) [tel](tel:+441234) [top](#top)');
    expect(html).toContain('href="https://example.org"');
    expect(html).toContain('href="mailto:a@b.c"');
    expect(html).toContain('href="tel:+441234"');
    expect(html).toContain('href="#top"');
  });

  it('gives footnote links and footnotes matching href and id', () => {
    const { html } = render('Text[^1].\n\n[^1]: Note.');
    expect(html).toContain('href="#user-content-fn-1"');
    expect(html).toContain('id="user-content-fn-1"');
    expect(html).toContain('href="#user-content-fnref-1"');
    expect(html).toContain('id="user-content-fnref-1"');
  });

  it.each([
    ['# Hello World', 'id="hello-world"'],
    ['## Second *one*', 'id="second-one"'],
    ['# Hello World\n\n# Hello World', 'id="hello-world-1"'],
    ['### Schäfer & Co', 'id="schäfer--co"'],
  ])('gives the heading in %j an id (%s)', (body, id) => {
    expect(render(body).html).toContain(id);
  });

  it('prefixes a raw name attribute, which could shadow document properties', () => {
    expect(render('<div name="n">hi</div>').html).toContain('name="user-content-n"');
  });

  it('returns the text and the first paragraph', () => {
    const result = render('# Title\n\nFirst *para*\nline two.\n\nSecond.');
    expect(result.firstParagraph).toBe('First para line two.');
    expect(result.text).toBe('Title First para line two. Second.');
  });
});

describe('renderBody: site links', () => {
  const body = ['Intro', '', 'See [other](other.md) and ![pic](img/p.png "t").', '', '[deep](../b/c.md#sec) [root](/about/)'].join('\n');

  it('turns a relative link into a gi-ref: placeholder', () => {
    const { html } = render(body, { source: 'posts/sub/a.md', firstLine: 5 });
    expect(html).toContain('<a href="gi-ref:posts/sub/other.md">other</a>');
    expect(html).toContain('src="gi-ref:posts/sub/img/p.png"');
    expect(html).toContain('href="gi-ref:posts/b/c.md#sec"');
    expect(html).toContain('href="gi-ref:/about/"');
  });

  it('records each ref with its line in the file (offset by firstLine)', () => {
    const { refs } = render(body, { source: 'posts/sub/a.md', firstLine: 5 });
    expect(refs).toEqual([
      { target: 'posts/sub/other.md', kind: 'link', line: 7, column: 5 },
      { target: 'posts/sub/img/p.png', kind: 'image', line: 7, column: 27 },
      { target: 'posts/b/c.md', kind: 'link', line: 9, column: 1 },
      { target: '/about/', kind: 'link', line: 9, column: 23 },
    ]);
  });

  it.each([
    ['a link on the first body line', '[o](other.md)', 1, 1],
    ['a link on the first body line of a file whose body starts at line 6', '[o](other.md)', 6, 6],
    ['a link three lines into a body starting at line 10', 'a\n\nb [o](other.md)', 10, 12],
  ])('offsets the line of %s', (_, text, firstLine, line) => {
    expect(render(text, { firstLine }).refs.map((r) => r.line)).toEqual([line]);
  });

  it.each([
    ['a percent-encoded space', '[sp](my%20file.md)', 'posts/my file.md', 'gi-ref:posts/my%20file.md'],
    ['a query', '[q](x.md?a=1)', 'posts/x.md', 'gi-ref:posts/x.md?a=1'],
    ['a folder link', '[f](../pages/)', 'pages/', 'gi-ref:pages/'],
  ])('handles %s', (_, text, target, href) => {
    const { html, refs } = render(text);
    expect(refs.map((r) => r.target)).toEqual([target]);
    expect(html).toContain(`href="${href}"`);
  });

  it.each([
    ['an external link', '[e](https://example.org/x.md)'],
    ['a protocol-relative link', '[e](//example.org/x.md)'],
    ['a fragment', '[f](#sec)'],
    ['a mailto: link', '[m](mailto:a@b.c)'],
  ])('leaves %s alone', (_, text) => {
    const { html, refs } = render(text);
    expect(refs).toEqual([]);
    expect(html).not.toContain('gi-ref:');
  });
});

describe('renderBody with html: escape', () => {
  it('shows raw HTML as text', () => {
    const { html, text } = render('A <b>bold</b> claim', { html: 'escape' });
    expect(html).not.toContain('<b>');
    expect(html).toMatch(/&#x3C;b>bold&#x3C;\/b>|&lt;b&gt;bold&lt;\/b&gt;/);
    expect(text).toBe('A <b>bold</b> claim');
  });

  it('shows a raw <script> block as text, never as an element', () => {
    expect(render('<script>alert(1)</script>', { html: 'escape' }).html).not.toContain('<script');
  });

  it('still renders Markdown and site links', () => {
    const { html, refs } = render('*em* [o](other.md)', { html: 'escape' });
    expect(html).toContain('<em>em</em>');
    expect(refs).toHaveLength(1);
  });
});

describe('renderBody with html: allow', () => {
  it('keeps raw HTML as written', () => {
    expect(render('<div class="x">hi</div>', { html: 'allow' }).html).toContain('<div class="x">hi</div>');
  });

  it('still records site links inside Markdown', () => {
    expect(render('[o](other.md)', { html: 'allow' }).html).toContain('href="gi-ref:posts/other.md"');
  });
});

describe('encodeTarget', () => {
  it.each([
    ['posts/a.md', 'posts/a.md'],
    ['posts/my file.md', 'posts/my%20file.md'],
    ['a?b#c.md', 'a%3Fb%23c.md'],
    ['posts/日本語.md', 'posts/%E6%97%A5%E6%9C%AC%E8%AA%9E.md'],
  ])('%j → %j', (target, encoded) => {
    expect(encodeTarget(target)).toBe(encoded);
  });
});

describe('renderBody with remark plugins', () => {
  it('puts right what a plugin makes invalid, as an HTML parser does: a <figure> ends the paragraph', () => {
    // Images become figures, still inside their paragraph: only rehype-raw's round trip moves them out.
    const figures = () => (tree: MdastRoot) => {
      visit(tree, 'image', (node) => {
        node.data = { hName: 'figure' };
      });
    };
    const processor = createProcessor({ markdown: { html: 'sanitize' }, remarkPlugins: [figures], rehypePlugins: [] });
    const body = renderBody(processor, 'posts/a.md', 'Intro text ![A chart](https://example.org/c.png) more text.', 1);
    expect(body.firstParagraph).toBe('Intro text');
    expect(body.html).not.toMatch(/<p>[^<]*<figure/);
  });
});
