import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/site/collections.js';
import type { Post } from '../../../src/content/post.js';

function fakePost(source: string, tags: string[]): Post {
  return { kind: 'post', source, date: { instant: 0, day: '2024-01-01', hasTime: false }, tags, authors: [], series: null, draft: false } as unknown as Post;
}

describe('collect', () => {
  it.each([
    ['de', ['Äpfel', 'Ost', 'Zebra']],
    ['en', ['Äpfel', 'Ost', 'Zebra']],
    ['sv', ['Ost', 'Zebra', 'Äpfel']],
  ])('orders tag names as readers of %s expect, whatever the machine locale', (language, expected) => {
    const c = collect([fakePost('posts/a.md', ['Zebra', 'Äpfel', 'Ost'])], { drafts: false, future: false, now: 1, language });
    expect(c.tags.map((t) => t.name)).toEqual(expected);
  });
});
