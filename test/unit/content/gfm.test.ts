import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFragment, serialize } from 'parse5';
import rehypeRaw from 'rehype-raw';
import remarkGfm from 'remark-gfm';
import rehypeSlug from 'rehype-slug';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import type { HtmlMode } from '../../../src/config/types.js';
import { gfmNeeds } from '../../../src/content/gfm.js';
import { toText } from 'hast-util-to-text';
import { createProcessor, plainText, renderBody, type RenderedBody } from '../../../src/content/markdown.js';

const modes = ['sanitize', 'escape', 'allow'] as const;
const config = (html: HtmlMode) => ({ markdown: { html }, remarkPlugins: [], rehypePlugins: [] });
/** Per HTML mode: our processor, and one with remark-gfm, rehype-raw and rehype-slug in their places. */
const processors = modes.map((html) => ({
  html,
  ours: createProcessor(config(html)),
  reference: createProcessor(config(html), { gfm: remarkGfm, raw: rehypeRaw, slug: rehypeSlug }),
}));

/**
 * A rendering as a browser reads it: the HTML through an HTML parser, so that `data-footnotes` and
 * `data-footnotes=""` are the one attribute they are.
 */
function asRead(body: RenderedBody): RenderedBody {
  return { ...body, html: serialize(parseFragment(body.html)) };
}

/** Every document whose rendering (HTML, text, summary, links with their lines) differs in some mode. */
function differences(docs: readonly string[]): { html: HtmlMode; doc: string; ours: RenderedBody; reference: RenderedBody }[] {
  return docs.flatMap((doc) =>
    processors.flatMap(({ html, ours, reference }) => {
      const a = asRead(renderBody(ours, 'posts/a.md', doc, 3));
      const b = asRead(renderBody(reference, 'posts/a.md', doc, 3));
      return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ html, doc, ours: a, reference: b }];
    }),
  );
}

/** A small deterministic generator (mulberry32), so a failure names a reproducible document. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces that make GFM constructs, nearly make them, or make them only once decoded. */
const PIECES = [
  'word', 'Foo', 'x', ' ', '  ', '\t', '\n', '\n\n', '- ', '* ', '1. ', '> ', '# ', '    ', '```\n', '`',
  '*', '_', '**', '!', '(', ')', '[', ']', '^', '[^1]', '[^1]: ', '[^', '[x]', '[X]', '[ ]', '[\t]', '[\n]',
  '|', '| a |', ':-', '-:', ':-:', '-', '---', '|-|', '| - |', '--|--', '\r\n', '\r', '>', '~', '~~', 'a@b.org', '@', 'me@', '@example.com', '&#64;',
  '## Same\n', 'Title\n===\n', '### a *b* `c`\n', '&commat;', '\\@', 'www.', 'www', 'WWW.x.org', 'www&#46;x.org', 'www\\.x.org', 'ww', 'http', 'http:',
  'https://x.org/a_b', 'HTTP://X.ORG', '&#104;ttp://x.org', 'mailto:', '<http://x.org>', '[a](http://x.org)',
  '[a]: http://x.org', '.', ',', '+', '&amp;', '&', '<b>', '</b>', '<!-- c -->', '<div>\n', '</div>', '\\',
  '<table>', '</table>', '<tr>', '</tr>', '<td>', '</td>', '<th>', '<tbody>\n',
];

function documents(count: number, seed: number): string[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: count }, () => {
    // Each document draws on a few pieces only, so most lack several constructs' characters.
    const palette = Array.from({ length: 2 + Math.floor(next() * 8) }, () => pick(PIECES));
    return Array.from({ length: 3 + Math.floor(next() * 40) }, () => pick(palette)).join('');
  });
}

describe('GFM and raw HTML parsed only where a post has them', () => {
  it.each([
    ['an email autolink', 'write to a@b.org', true],
    ['a www autolink', 'see www.example.org', true],
    ['a protocol autolink', 'see https://example.org', true],
    ['an autolink from a character reference', 'write to a&#64;b.org', true],
    ['a footnote', 'a[^1]\n\n[^1]: b', true],
    ['strikethrough', 'a ~~b~~ c', true],
    ['a table', '| a |\n| - |\n| b |', true],
    ['a one-column table without pipes', 'a\n-:\nb', true],
    ['a table after a paragraph line', 'some words\nmore | words\n--- | ---\nc | d\ne\n\nf', true],
    ['a table in a blockquote and a list', '> | a | b |\n> |:-|-:|\n> | c | d |\n\n- x | y\n  --|--\n  z | w', true],
    ['a table whose delimiter row is a lazy line', '> a | b\n--|--\n> c | d', true],
    ['a table with CR and CRLF line ends', 'a | b\r\n-|-\r\nc | d\re | f\r\n\r\ng', true],
    ['pipes with no delimiter row', 'a | b\nc | d\n\n| e |\n\n---\n\nx\n---', true],
    ['a task list', '- [ ] a\n- [x] b', true],
    ['raw HTML', 'a <b>b</b>\n\n<div>c</div>', false],
    ['a code block that starts with a blank line', '```\n\nfoo\n```\n\n    \n    bar', false],
    ['none of them', '# Title\n\nSome *words* and [a link](b.md).\n\n- one\n- two\n\n> quote', false],
  ])('renders %s as remark-gfm, rehype-raw and rehype-slug do', (_, markdown, usesGfm) => {
    expect(differences([markdown])).toEqual([]);
    expect(gfmNeeds(markdown) !== 0).toBe(usesGfm);
  });

  it('renders 1,200 generated documents as remark-gfm, rehype-raw and rehype-slug do, in every HTML mode', () => {
    expect(differences(documents(1200, 20261129))).toEqual([]);
  });

  it('renders the sample site\'s posts as they do', () => {
    const dir = path.join(import.meta.dirname, '../../../posts');
    const posts = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    expect(posts.length).toBeGreaterThan(3);
    expect(differences(posts.map((post) => readFileSync(path.join(dir, post), 'utf8')))).toEqual([]);
  });

  it('leaves out only what a document cannot contain', () => {
    expect(gfmNeeds('plain words')).toBe(0);
    // Each construct's trigger turns on its own bit, and the literal text transform's.
    const bits = ['a@b', 'www.x', 'http:', '[^1]', '~', '|', '[ ]'].map(gfmNeeds);
    expect(new Set(bits).size).toBe(bits.length);
  });
});

describe('plain text as hast-util-to-text gives it', () => {
  /** Every tree (and first paragraph) of a document, in every HTML mode, whose text differs. */
  function textDifferences(docs: readonly string[]) {
    return docs.flatMap((doc) =>
      processors.flatMap(({ html, ours }) => {
        const file = new VFile({ path: 'posts/a.md', value: doc });
        const tree = ours.runSync(ours.parse(file), file);
        const firstP = tree.children.find((n) => n.type === 'element' && n.tagName === 'p');
        return [tree, ...(firstP && firstP.type === 'element' ? [firstP] : [])].flatMap((node) => {
          const expected = toText(node).replace(/\s+/g, ' ').trim();
          const actual = plainText(node);
          return actual === expected ? [] : [{ html, doc, actual, expected }];
        });
      }),
    );
  }

  it.each([
    ['blocks, lists, quotes and code', '# Title\n\nSome *words*, **more** and `code`.\n\n- one\n- two\n  - three\n\n> quoted\n> text\n\n```\nfn()\n  x\n```\n\n---\n\nend'],
    ['a table', '| a | b |\n| - | :-: |\n| c | *d* |\n|  | e |'],
    ['footnotes, a task list and strikethrough', 'a[^1] and ~~b~~\n\n- [ ] c\n- [x] d\n\n[^1]: the note'],
    ['hard line breaks', 'one  \ntwo\\\nthree'],
    ['images and links', '![alt text](a.png) and [a link](b.md) and <https://example.org>'],
    ['a zero-width space at a line end', 'one\u200b\ntwo \u200b three'],
    ['bidirectional controls', 'a\u202eb\u2066c\u2069 d\n\n```\ne\u200ff\n```'],
    ['raw HTML that is not shown', 'a<script>x()</script>b\n\n<div hidden>gone</div>\n\n<!-- note -->\n\n<template>t</template>c<noscript>n</noscript>'],
    ['raw HTML blocks and inline elements', '<div>one<span>two</span></div><p>three</p>four<br>five<dl><dt>six</dt><dd>seven</dd></dl>'],
    ['non-breaking and other spaces', 'a\u00a0b\u2003c\td\f\re'],
    ['tables in raw HTML', '<table><tr><td>a</td></tr></table>b\n\nx\n\n<table><tr><td>a</td><td>b</td></tr></table>after\n\n<table>\n<tr>\n<td>c</td>\n</tr>\n</table>\nd'],
    ['a table in a list item and a blockquote', '- a | b\n  --|--\n  c | d\n- e\n\n> | f |\n> | - |\n> | g |'],
  ])('for %s', (_, markdown) => {
    expect(textDifferences([markdown])).toEqual([]);
  });

  it('for 1,200 generated documents and the sample site\'s posts, in every HTML mode', () => {
    const dir = path.join(import.meta.dirname, '../../../posts');
    const posts = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    expect(textDifferences([...documents(1200, 20261130), ...posts.map((post) => readFileSync(path.join(dir, post), 'utf8'))])).toEqual([]);
  });
});
