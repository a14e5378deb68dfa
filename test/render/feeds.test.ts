import { parse as parseHtml, type DefaultTreeAdapterTypes } from 'parse5';
import { SaxesParser } from 'saxes';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEED_SIZE } from '../../src/render/feeds.js';
import { buildSite, makeSite, post, readOut } from '../helpers/site.js';

/** An element of a parsed XML document: qualified name, namespace, attributes, children, text. */
interface XmlElement {
  name: string;
  uri: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parses XML with saxes, a strict XML 1.0 parser: it throws on anything not well-formed, including
 * characters XML forbids (such as U+0007), bare `&` and `<`, and undeclared namespace prefixes.
 */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    const attributes = Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value]));
    const el: XmlElement = { name: tag.name, uri: tag.uri, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(el);
    root ??= el;
    stack.push(el);
  });
  parser.on('text', (text) => {
    if (stack.length) stack.at(-1)!.text += text;
  });
  parser.on('cdata', (text) => {
    stack.at(-1)!.text += text;
  });
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

function all(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

function one(el: XmlElement, name: string): XmlElement {
  const found = all(el, name);
  expect(found, `<${el.name}> has one <${name}>`).toHaveLength(1);
  return found[0]!;
}

/** Every href, src and srcset URL in an HTML fragment. */
function htmlUrls(html: string): string[] {
  const urls: string[] = [];
  const walk = (node: DefaultTreeAdapterTypes.ParentNode) => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      for (const a of child.attrs) {
        if (a.name === 'href' || a.name === 'src') urls.push(a.value);
        if (a.name === 'srcset') urls.push(...a.value.split(',').map((c) => c.trim().split(/\s+/)[0]!));
      }
      walk(child);
    }
  };
  walk(parseHtml(html));
  return urls;
}

const ATOM = 'http://www.w3.org/2005/Atom';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const RFC822 = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (?:GMT|UT|[+-]\d{4})$/;
const SITE = 'https://example.org/blog/';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const TRICKY_TITLE = `Fish & "Chips" <b>bold</b> 'quoted' \u0007 bell`;

const FILES = {
  'gi-build.config.json': JSON.stringify({
    title: 'Feeds & <Friends>',
    description: 'Q&A about "feeds"',
    baseUrl: 'https://example.org',
    timeZone: 'Europe/Berlin',
  }),
  'posts/2024-01-01-plain.md': post(
    { title: 'Plain', date: '2024-01-01', author: 'Ann', tags: ['care', 'R&D'], summary: 'A plain post.' },
    'Hello [tricky](2024-02-01-tricky.md), [about](/about/) and a note.[^1]\n\n[^1]: The note.',
  ),
  'posts/2024-02-01-tricky.md': post(
    { title: TRICKY_TITLE, date: '2024-02-01T10:00:00', updated: '2024-02-03T08:30:00Z', author: ['Ann & Bob', 'Cy <cy@example.org>'] },
    `Body with & and < and > and "double" and 'single' quotes, a bell \u0007 here, and ]]> too.\n\n<span title="a&b">x</span>`,
  ),
  'posts/2024-03-01-pictured/index.md': post({ title: 'Pictured', date: '2024-03-01', image: 'lead.png', imageAlt: 'A dot' }, '![A dot](lead.png)'),
  'posts/2024-03-01-pictured/lead.png': PNG,
  'posts/2024-04-01-draft.md': post({ title: 'Draft', date: '2024-04-01', draft: true }),
  'posts/2099-01-01-future.md': post({ title: 'Future', date: '2099-01-01' }),
  'pages/about.md': post({ title: 'About' }, 'About us.'),
};

describe('feeds', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeSite(FILES);
    const result = await buildSite(root, { basePath: '/blog/' });
    expect(result.messages.filter((m) => m.severity === 'error')).toEqual([]);
  });

  it('the XML parser used here is strict: it rejects what a lax one lets through', () => {
    expect(() => parseXml('<a>bell \u0007</a>')).toThrow(/disallowed character/);
    expect(() => parseXml('<a>fish & chips</a>')).toThrow();
    expect(() => parseXml('<a>1 < 2</a>')).toThrow();
    expect(() => parseXml('<a><dc:creator>x</dc:creator></a>')).toThrow(/unbound namespace prefix/);
  });

  describe('Atom (feed.xml)', () => {
    let feed: XmlElement;
    beforeAll(async () => {
      feed = parseXml(await readOut(root, 'feed.xml'));
    });

    it('is an Atom feed with id, title, updated and a self link', () => {
      expect(feed.name).toBe('feed');
      expect(feed.uri).toBe(ATOM);
      expect(one(feed, 'title').text).toBe('Feeds & <Friends>');
      expect(one(feed, 'subtitle').text).toBe('Q&A about "feeds"');
      expect(one(feed, 'id').text).toBe(SITE);
      expect(one(feed, 'updated').text).toMatch(RFC3339);
      // The newest change: the pictured post, dated midnight in Berlin.
      expect(one(feed, 'updated').text).toBe('2024-03-01T00:00:00+01:00');
      const self = all(feed, 'link').filter((l) => l.attributes.rel === 'self');
      expect(self.map((l) => l.attributes.href)).toEqual([`${SITE}feed.xml`]);
    });

    it('has one entry per published post, newest first, each with id, title, updated, link, author and HTML content', () => {
      const entries = all(feed, 'entry');
      expect(entries.map((e) => one(e, 'id').text)).toEqual([`${SITE}posts/pictured/`, `${SITE}posts/tricky/`, `${SITE}posts/plain/`]);
      for (const entry of entries) {
        expect(one(entry, 'title').text).not.toBe('');
        expect(one(entry, 'updated').text).toMatch(RFC3339);
        expect(one(entry, 'published').text).toMatch(RFC3339);
        const link = one(entry, 'link');
        expect(link.attributes.href).toBe(one(entry, 'id').text);
        expect(all(entry, 'author').length).toBeGreaterThan(0);
        for (const author of all(entry, 'author')) expect(one(author, 'name').text).not.toBe('');
        const content = one(entry, 'content');
        expect(content.attributes.type).toBe('html');
        for (const url of htmlUrls(content.text)) expect(url).toMatch(/^https:\/\/example\.org\/blog\//);
      }
    });

    it('gives dates in the site time zone, and the update time as updated', () => {
      const tricky = all(feed, 'entry')[1]!;
      expect(one(tricky, 'published').text).toBe('2024-02-01T10:00:00+01:00');
      expect(one(tricky, 'updated').text).toBe('2024-02-03T09:30:00+01:00');
    });

    it('keeps titles, authors, categories and content intact through escaping, dropping only the forbidden control character', () => {
      const [, tricky, plain] = all(feed, 'entry');
      expect(one(tricky!, 'title').text).toBe(TRICKY_TITLE.replace('\u0007', ''));
      expect(all(tricky!, 'author').map((a) => one(a, 'name').text)).toEqual(['Ann & Bob', 'Cy <cy@example.org>']);
      const html = one(tricky!, 'content').text;
      expect(html).not.toContain('\u0007');
      expect(html).toMatch(/Body with (&#x26;|&amp;) and (&#x3C;|&lt;) and/);
      expect(html).toContain('<span title="a&#x26;b">x</span>');
      expect(all(plain!, 'category').map((c) => c.attributes.term)).toEqual(['care', 'R&D']);
    });

    it('makes links in the content absolute, footnotes included', () => {
      const plain = all(feed, 'entry')[2]!;
      expect(htmlUrls(one(plain, 'content').text)).toEqual(
        expect.arrayContaining([`${SITE}posts/tricky/`, `${SITE}about/`, `${SITE}posts/plain/#user-content-fn-1`, `${SITE}posts/plain/#user-content-fnref-1`]),
      );
    });
  });

  describe('RSS 2.0 (rss.xml)', () => {
    let rss: XmlElement;
    let channel: XmlElement;
    beforeAll(async () => {
      rss = parseXml(await readOut(root, 'rss.xml'));
      channel = one(rss, 'channel');
    });

    it('is RSS 2.0 with channel title, link, description and a self link', () => {
      expect(rss.name).toBe('rss');
      expect(rss.attributes.version).toBe('2.0');
      expect(one(channel, 'title').text).toBe('Feeds & <Friends>');
      expect(one(channel, 'link').text).toBe(SITE);
      expect(one(channel, 'description').text).toBe('Q&A about "feeds"');
      const self = one(channel, 'atom:link');
      expect(self.uri).toBe(ATOM);
      expect(self.attributes).toMatchObject({ rel: 'self', href: `${SITE}rss.xml` });
      expect(one(channel, 'lastBuildDate').text).toMatch(RFC822);
    });

    it('has items with title, link, guid and an RFC 822 pubDate', () => {
      const items = all(channel, 'item');
      expect(items.map((i) => one(i, 'link').text)).toEqual([`${SITE}posts/pictured/`, `${SITE}posts/tricky/`, `${SITE}posts/plain/`]);
      for (const item of items) {
        expect(one(item, 'title').text).not.toBe('');
        const guid = one(item, 'guid');
        expect(guid.text).toBe(one(item, 'link').text);
        expect(guid.attributes.isPermaLink).toBe('true');
        expect(one(item, 'pubDate').text).toMatch(RFC822);
        expect(Number.isNaN(Date.parse(one(item, 'pubDate').text))).toBe(false);
        for (const url of htmlUrls(one(item, 'description').text)) expect(url).toMatch(/^https:\/\/example\.org\/blog\//);
      }
      // 10:00 in Berlin in winter is 09:00 UTC.
      expect(one(items[1]!, 'pubDate').text).toBe('Thu, 01 Feb 2024 09:00:00 GMT');
      expect(Date.parse(one(items[1]!, 'pubDate').text)).toBe(Date.parse('2024-02-01T09:00:00Z'));
    });

    it('keeps the tricky title and creators intact through escaping', () => {
      const tricky = all(channel, 'item')[1]!;
      expect(one(tricky, 'title').text).toBe(TRICKY_TITLE.replace('\u0007', ''));
      expect(all(tricky, 'dc:creator').map((c) => c.text)).toEqual(['Ann & Bob', 'Cy <cy@example.org>']);
      expect(one(tricky, 'description').text).not.toContain('\u0007');
    });
  });

  describe('JSON Feed (feed.json)', () => {
    let json: {
      version: string;
      title: string;
      home_page_url: string;
      feed_url: string;
      items: { id: string; url: string; title: string; content_html: string; image?: string; date_published: string; authors: { name: string }[] }[];
    };
    beforeAll(async () => {
      json = JSON.parse(await readOut(root, 'feed.json'));
    });

    it('is JSON Feed 1.1 with a title and absolute URLs', () => {
      expect(json.version).toBe('https://jsonfeed.org/version/1.1');
      expect(json.title).toBe('Feeds & <Friends>');
      expect(json.home_page_url).toBe(SITE);
      expect(json.feed_url).toBe(`${SITE}feed.json`);
    });

    it('has items with id, absolute url and content_html whose links are absolute', () => {
      expect(json.items.map((i) => i.id)).toEqual([`${SITE}posts/pictured/`, `${SITE}posts/tricky/`, `${SITE}posts/plain/`]);
      for (const item of json.items) {
        expect(item.url).toBe(item.id);
        expect(item.content_html).not.toBe('');
        expect(item.date_published).toMatch(RFC3339);
        for (const url of htmlUrls(item.content_html)) expect(url).toMatch(/^https:\/\/example\.org\/blog\//);
      }
      expect(json.items[0]!.image).toBe(`${SITE}posts/pictured/lead.png`);
      expect(htmlUrls(json.items[0]!.content_html)).toEqual([`${SITE}posts/pictured/lead.png`]);
    });

    it('keeps text as it is: JSON needs no XML escaping', () => {
      // The bell is gone already: control characters are removed from titles when posts are read.
      expect(json.items[1]!.title).toBe(TRICKY_TITLE.replace('\u0007', ''));
      expect(json.items[1]!.authors).toEqual([{ name: 'Ann & Bob' }, { name: 'Cy <cy@example.org>' }]);
    });
  });
});

describe('feeds of other sites', () => {
  it('stay well-formed with no posts at all', async () => {
    const root = await makeSite({ 'gi-build.config.json': JSON.stringify({ title: 'Empty', baseUrl: 'https://example.org' }) });
    await buildSite(root);
    const feed = parseXml(await readOut(root, 'feed.xml'));
    expect(all(feed, 'entry')).toEqual([]);
    expect(one(feed, 'updated').text).toMatch(RFC3339);
    const channel = one(parseXml(await readOut(root, 'rss.xml')), 'channel');
    expect(all(channel, 'item')).toEqual([]);
    expect(one(channel, 'description').text).toBe('Empty');
    expect(JSON.parse(await readOut(root, 'feed.json')).items).toEqual([]);
  });

  it(`carry the newest ${FEED_SIZE} posts`, async () => {
    const posts = Object.fromEntries(
      Array.from({ length: FEED_SIZE + 3 }, (_, i) => {
        const day = `2024-01-${String(i + 1).padStart(2, '0')}`;
        return [`posts/${day}-p${i + 1}.md`, post({ title: `Post ${i + 1}`, date: day })];
      }),
    );
    const root = await makeSite({ 'gi-build.config.json': JSON.stringify({ baseUrl: 'https://example.org' }), ...posts });
    await buildSite(root);
    const entries = all(parseXml(await readOut(root, 'feed.xml')), 'entry');
    expect(entries).toHaveLength(FEED_SIZE);
    expect(one(entries[0]!, 'title').text).toBe(`Post ${FEED_SIZE + 3}`);
    expect(all(one(parseXml(await readOut(root, 'rss.xml')), 'channel'), 'item')).toHaveLength(FEED_SIZE);
    expect(JSON.parse(await readOut(root, 'feed.json')).items).toHaveLength(FEED_SIZE);
  });
});
