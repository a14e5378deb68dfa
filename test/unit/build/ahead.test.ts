import { describe, expect, it } from 'vitest';
import { samePlace } from '../../../src/build/ahead.js';
import type { Post } from '../../../src/content/post.js';

const base: Post = {
  kind: 'post',
  source: 'posts/2024-03-01-a.md',
  bundle: null,
  title: 'A',
  date: { instant: 1709251200000, day: '2024-03-01', hasTime: false },
  updated: null,
  authors: ['Ann'],
  authorRole: null,
  guest: false,
  series: null,
  tags: ['housing'],
  summary: 'Summary.',
  image: null,
  slug: 'a',
  draft: false,
  layout: 'post',
  layoutLine: null,
  data: { title: 'A' },
  html: '<p>Body.</p>',
  htmlHash: 'h1',
  textHash: 't1',
  text: 'Body.',
  wordCount: 1,
  readingMinutes: 1,
  refs: [],
};

describe('samePlace', () => {
  const same: [string, Partial<Post>][] = [
    ['the body', { html: '<p>New body.</p>', htmlHash: 'h2', text: 'New body.', wordCount: 2 }],
    ['the summary', { summary: 'Another summary.' }],
    ['other front matter', { data: { title: 'A', mood: 'sunny' } }],
    ['links in the body', { refs: [{ kind: 'link', target: 'posts/2024-01-01-b.md' }] as Post['refs'] }],
  ];
  for (const [what, change] of same) {
    it(`holds when only ${what} changed`, () => expect(samePlace(base, { ...base, ...change })).toBe(true));
  }

  const moved: [string, Partial<Post>][] = [
    ['the title', { title: 'B' }],
    ['the date', { date: { instant: 1709337600000, day: '2024-03-02', hasTime: false } }],
    ['the updated date', { updated: { instant: 1709337600000, day: '2024-03-02', hasTime: false } }],
    ['the authors', { authors: ['Ann', 'Bo'] }],
    ['the author role', { authorRole: 'Tenant' }],
    ['guest status', { guest: true }],
    ['the series', { series: 'S' }],
    ['the tags', { tags: ['housing', 'care'] }],
    ['the lead image', { image: { target: 'posts/a.jpg', alt: 'A', caption: null, credit: null, line: 3 } }],
    ['the slug', { slug: 'b' }],
    ['draft status', { draft: true }],
    ['the layout', { layout: 'wide' }],
  ];
  for (const [what, change] of moved) {
    it(`fails when ${what} changed`, () => expect(samePlace(base, { ...base, ...change })).toBe(false));
  }
});
