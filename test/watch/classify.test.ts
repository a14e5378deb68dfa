import { describe, expect, it } from 'vitest';
import { classify, describeChanges, isEditorJunk, isIgnored, type WatchEvent } from '../../src/watch/classify.js';
import { RebuildQueue } from '../../src/watch/queue.js';

const ev = (path: string, kind: WatchEvent['kind'] = 'change'): WatchEvent => ({ kind, path });

describe('classify', () => {
  it.each([
    ['a post edited', [ev('posts/a.md')], { full: false, templates: false, statics: false, sources: ['posts/a.md'] }],
    ['a post image added', [ev('posts/x/photo.png', 'add')], { full: false, templates: false, statics: false, sources: ['posts/x/photo.png'] }],
    ['a page deleted', [ev('pages/about.md', 'unlink')], { full: false, templates: false, statics: false, sources: ['pages/about.md'] }],
    ['a partial edited', [ev('templates/partials/footer.hbs')], { full: false, templates: true, statics: false, sources: [] }],
    ['a theme asset edited', [ev('templates/assets/style.css')], { full: false, templates: true, statics: false, sources: [] }],
    ['a static file', [ev('static/favicon.ico', 'add')], { full: false, templates: false, statics: true, sources: [] }],
    ['the JSON config', [ev('gi-build.config.json')], { full: true, templates: false, statics: false, sources: [] }],
    ['the JS config', [ev('gi-build.config.mjs')], { full: true, templates: false, statics: false, sources: [] }],
    ['something unknown', [ev('README.md')], { full: true, templates: false, statics: false, sources: [] }],
    ['a post folder removed', [ev('posts/x', 'unlinkDir')], { full: false, templates: false, statics: false, sources: [] }],
    ['editor droppings only', [ev('posts/.a.md.swp', 'add'), ev('posts/a.md~', 'add'), ev('posts/4913', 'add')], { full: false, templates: false, statics: false, sources: [] }],
    ['a burst of several kinds', [ev('posts/a.md'), ev('posts/a.md'), ev('templates/layouts/post.hbs'), ev('posts/b.md', 'unlink')], { full: false, templates: true, statics: false, sources: ['posts/a.md', 'posts/b.md'] }],
  ])('%s', (_, events, expected) => {
    const c = classify(events);
    expect({ full: c.full, templates: c.templates, statics: c.statics, sources: [...c.sources] }).toEqual(expected);
  });

  it('describes one change by its path and several by their number', () => {
    expect(describeChanges(classify([ev('posts/a.md'), ev('posts/a.md')]))).toBe('posts/a.md changed');
    expect(describeChanges(classify([ev('posts/a.md'), ev('static/x.txt'), ev('pages/b.md')]))).toBe('3 files changed');
  });
});

describe('isIgnored and isEditorJunk', () => {
  it.each([
    ['', false], ['posts', false], ['posts/a.md', false], ['templates/layouts/post.hbs', false], ['static/.well-known/x', false],
    ['gi-build.config.json', false], ['dist', true], ['dist/index.html', true], ['node_modules/x', true], ['.git/HEAD', true],
    ['posts/.git/HEAD', true], ['README.md', true], ['.dist.new-1/x', true],
  ])('isIgnored(%j) is %s', (p, expected) => {
    expect(isIgnored(p)).toBe(expected);
  });

  it.each([['posts/a.md~', true], ['posts/.a.md.swp', true], ['posts/4913', true], ['posts/.#a.md', true], ['posts/a.md', false], ['static/.nojekyll', false]])('isEditorJunk(%j) is %s', (p, expected) => {
    expect(isEditorJunk(p)).toBe(expected);
  });
});

describe('RebuildQueue', () => {
  it('runs one build at a time and turns everything that arrives meanwhile into exactly one more', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const queue = new RebuildQueue<number>(async (batch) => {
      batches.push(batch);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
    });
    queue.push([1]);
    queue.push([2]);
    queue.push([3, 4]);
    await Promise.resolve();
    expect(batches).toEqual([[1]]);
    release();
    await queue.idle();
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });
});
