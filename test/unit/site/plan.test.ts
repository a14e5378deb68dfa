import { describe, expect, it } from 'vitest';
import type { Post } from '../../../src/content/post.js';
import type { Collections } from '../../../src/site/collections.js';
import { planSite } from '../../../src/site/plan.js';

const CONFIG = { permalink: '/posts/:slug/', postsPerPage: 10 };
const INPUTS = { assets: new Set<string>(), statics: [], reserved: [] };

/** A published post or page with only what the plan reads. */
function fakePost(kind: 'post' | 'page', source: string, slug: string, data: Record<string, unknown> = {}): Post {
  return {
    kind,
    source,
    bundle: null,
    slug,
    date: kind === 'post' ? { instant: 0, day: '2024-01-01', hasTime: false } : null,
    layout: kind,
    refs: [],
    image: null,
    data,
  } as unknown as Post;
}

function collections(posts: Post[], pages: Post[] = []): Collections {
  return { posts, pages, tags: [], series: [], authors: [], years: [], unpublished: new Set(), clashes: [] };
}

describe('planSite: slugs Windows reserves', () => {
  it('warns about a post named after a device, naming the file, the slug and the file to rename', () => {
    const plan = planSite(collections([fakePost('post', 'posts/con.md', 'con')]), CONFIG, INPUTS);
    expect(plan.messages).toEqual([
      {
        file: 'posts/con.md',
        severity: 'warning',
        reason: 'the slug "con" is a name Windows reserves for a device, so the folder for /posts/con/ cannot be created or checked out on Windows',
        rule: 'output/windows-reserved-name',
        hint: 'Give it another slug in its front matter, e.g. slug: con-post. Rename posts/con.md as well: Windows refuses that name too.',
      },
    ]);
  });

  it('does not ask to rename a file whose name Windows accepts', () => {
    const plan = planSite(collections([fakePost('post', 'posts/2024-01-01-aux.md', 'aux')]), CONFIG, INPUTS);
    expect(plan.messages).toEqual([expect.objectContaining({ rule: 'output/windows-reserved-name', hint: 'Give it another slug in its front matter, e.g. slug: aux-post.' })]);
  });

  it('asks for another slug when the front matter chose this one', () => {
    const plan = planSite(collections([], [fakePost('page', 'pages/printer.md', 'prn', { slug: 'PRN' })]), CONFIG, INPUTS);
    expect(plan.messages).toEqual([
      expect.objectContaining({
        file: 'pages/printer.md',
        reason: 'the slug "prn" is a name Windows reserves for a device, so the folder for /prn/ cannot be created or checked out on Windows',
        rule: 'output/windows-reserved-name',
        hint: 'Choose another slug in the front matter, e.g. slug: prn-page.',
      }),
    ]);
  });

  it('asks to rename the folder of a folder post', () => {
    const plan = planSite(collections([fakePost('post', 'posts/com1/index.md', 'com1')]), CONFIG, INPUTS);
    expect(plan.messages).toEqual([expect.objectContaining({ file: 'posts/com1/index.md', hint: expect.stringMatching(/ Rename posts\/com1 as well: /) })]);
  });

  it.each(['console', 'con-post', 'lpt10', 'nullable'])('says nothing about the slug %j', (slug) => {
    expect(planSite(collections([fakePost('post', `posts/${slug}.md`, slug)]), CONFIG, INPUTS).messages).toEqual([]);
  });
});
