import type { SiteConfig } from '../config/types.js';
import type { Post } from '../content/post.js';
import { isoInZone, rfc822 } from '../util/dates.js';
import { absoluteFragments } from '../site/links.js';
import { siteUrls } from '../site/urls.js';
import type { ViewBuilder } from '../site/view.js';
import type { OutputFile } from '../output/files.js';

/** How many posts the feeds carry. */
export const FEED_SIZE = 20;

/** Escapes text for XML element content and attribute values. */
export function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 forbids outright would make the whole feed unreadable.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

interface FeedItem {
  post: Post;
  url: string;
  html: string;
  published: number;
  updated: number;
}

function items(posts: Post[], views: ViewBuilder): FeedItem[] {
  return posts.slice(0, FEED_SIZE).map((post) => {
    const url = views.card(post).absoluteUrl;
    return {
      post,
      url,
      // Feed readers show content away from the site: every link must be absolute.
      html: absoluteFragments(views.content(post, views.absolute), url),
      published: post.date!.instant,
      updated: (post.updated ?? post.date)!.instant,
    };
  });
}

/** Atom, RSS 2.0 and JSON Feed of the latest posts, with full content and absolute URLs. */
export function renderFeeds(config: Readonly<SiteConfig>, posts: Post[], views: ViewBuilder): OutputFile[] {
  const list = items(posts, views);
  const home = views.absolute('/');
  const newest = list.length ? Math.max(...list.map((i) => i.updated)) : 0;
  const tz = config.timeZone;
  const author = (p: Post) => (p.authors.length ? p.authors : [config.copyright.holder || config.title]);

  const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xml(config.language)}">
  <title>${xml(config.title)}</title>
  ${config.description ? `<subtitle>${xml(config.description)}</subtitle>` : ''}
  <id>${xml(home)}</id>
  <link rel="alternate" type="text/html" href="${xml(home)}"/>
  <link rel="self" type="application/atom+xml" href="${xml(views.absolute(siteUrls.atom))}"/>
  <updated>${isoInZone(newest, tz)}</updated>
  <generator>gi-build</generator>
${list
  .map(
    (i) => `  <entry>
    <title>${xml(i.post.title)}</title>
    <id>${xml(i.url)}</id>
    <link rel="alternate" type="text/html" href="${xml(i.url)}"/>
    <published>${isoInZone(i.published, tz)}</published>
    <updated>${isoInZone(i.updated, tz)}</updated>
${author(i.post).map((a) => `    <author><name>${xml(a)}</name></author>`).join('\n')}
${i.post.tags.map((t) => `    <category term="${xml(t)}"/>`).join('\n')}
    ${i.post.summary ? `<summary>${xml(i.post.summary)}</summary>` : ''}
    <content type="html">${xml(i.html)}</content>
  </entry>`,
  )
  .join('\n')}
</feed>
`;

  const rss = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${xml(config.title)}</title>
    <link>${xml(home)}</link>
    <description>${xml(config.description || config.title)}</description>
    <language>${xml(config.language)}</language>
    <atom:link href="${xml(views.absolute(siteUrls.rss))}" rel="self" type="application/rss+xml"/>
    ${list.length ? `<lastBuildDate>${rfc822(newest)}</lastBuildDate>` : ''}
    <generator>gi-build</generator>
${list
  .map(
    (i) => `    <item>
      <title>${xml(i.post.title)}</title>
      <link>${xml(i.url)}</link>
      <guid isPermaLink="true">${xml(i.url)}</guid>
      <pubDate>${rfc822(i.published)}</pubDate>
${author(i.post).map((a) => `      <dc:creator>${xml(a)}</dc:creator>`).join('\n')}
${i.post.tags.map((t) => `      <category>${xml(t)}</category>`).join('\n')}
      <description>${xml(i.html)}</description>
    </item>`,
  )
  .join('\n')}
  </channel>
</rss>
`;

  const json = {
    version: 'https://jsonfeed.org/version/1.1',
    title: config.title,
    home_page_url: home,
    feed_url: views.absolute(siteUrls.jsonFeed),
    ...(config.description ? { description: config.description } : {}),
    language: config.language,
    items: list.map((i) => {
      const card = views.card(i.post);
      return {
        id: i.url,
        url: i.url,
        title: i.post.title,
        content_html: i.html,
        ...(i.post.summary ? { summary: i.post.summary } : {}),
        ...(card.image ? { image: card.image.absoluteUrl } : {}),
        date_published: isoInZone(i.published, tz),
        date_modified: isoInZone(i.updated, tz),
        authors: author(i.post).map((name) => ({ name })),
        ...(i.post.tags.length ? { tags: i.post.tags } : {}),
      };
    }),
  };

  return [
    { path: 'feed.xml', contents: atom.replace(/\n\s*\n/g, '\n') },
    { path: 'rss.xml', contents: rss.replace(/\n\s*\n/g, '\n') },
    { path: 'feed.json', contents: `${JSON.stringify(json, null, 2)}\n` },
  ];
}

/** sitemap.xml of every indexable page, and robots.txt naming it (plus static/robots.txt, if any). */
export function renderSitemap(entries: { url: string; lastmod: string | null }[], views: ViewBuilder, robotsExtra: string | null): OutputFile[] {
  const sitemap = `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.map((e) => `  <url><loc>${xml(views.absolute(e.url))}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</url>`).join('\n')}
</urlset>
`;
  const robots = `User-agent: *\nAllow: /\n\nSitemap: ${views.absolute(siteUrls.sitemap)}\n${robotsExtra ? `\n${robotsExtra.trim()}\n` : ''}`;
  return [
    { path: 'sitemap.xml', contents: sitemap },
    { path: 'robots.txt', contents: robots },
  ];
}
