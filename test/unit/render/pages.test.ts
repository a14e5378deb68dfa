import { describe, expect, it } from 'vitest';
import { renderPages } from '../../../src/render/site.js';
import type { TemplateSet } from '../../../src/render/templates.js';
import type { PlannedPage } from '../../../src/site/plan.js';
import type { ViewBuilder } from '../../../src/site/view.js';

const templates = { has: () => true, render: (layout: string) => `<p>${layout}</p>`, searched: () => [], assets: new Map(), messages: [], key: 'k' } as TemplateSet;

describe('renderPages', () => {
  it('keeps settled pages under their previous key without building their view model', () => {
    const built: string[] = [];
    const views = {
      context: (page: PlannedPage) => {
        built.push(page.output);
        return { page: { title: page.output } };
      },
    } as unknown as ViewBuilder;
    const pages = ['a/index.html', 'b/index.html', 'c/index.html'].map((output) => ({ kind: 'home', url: '/', output, layout: 'home', origin: output }) as PlannedPage);
    const previous = new Map([
      ['a/index.html', 'key of a'],
      ['b/index.html', 'key of b'],
    ]);
    // b is not settled; c is, but has no previous key to keep.
    const r = renderPages(pages, templates, views, { previousKeys: previous, settled: (p) => p.output !== 'b/index.html' });
    expect(built).toEqual(['b/index.html', 'c/index.html']);
    expect(r.kept).toEqual(['a/index.html']);
    expect(r.files.map((f) => f.path)).toEqual(['b/index.html', 'c/index.html']);
    expect(r.pageKeys.get('a/index.html')).toBe('key of a');
    expect(r.pageKeys.get('b/index.html')).not.toBe('key of b');
  });
});
