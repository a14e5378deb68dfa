import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir } from '../../src/build/cache.js';
import { buildWithCache } from '../../src/build/cached.js';
import type { BuildResult } from '../../src/build/index.js';
import { formatMessage } from '../../src/cli/reporter.js';
import { loadConfig } from '../../src/config/resolve.js';
import { buildSite, exists, makeSite, NOW, post, readOut, snapshot, writeFiles } from '../helpers/site.js';

/** Each message's first line, as the CLI prints it. */
function lines(messages: Parameters<typeof formatMessage>[0][]): string[] {
  return messages.map((m) => formatMessage(m).split('\n')[0]!);
}

const NS = 'xmlns="http://www.w3.org/2000/svg"';
const CLEAN_SVG = `<svg ${NS} viewBox="0 0 10 10"><style>rect { fill: #c00 }</style><rect width="10" height="10"/><text>online</text></svg>`;
const ONLOAD_SVG = `<svg ${NS} onload="fetch('/steal?'+document.cookie)"><rect width="10" height="10"/></svg>`;
const SCRIPT_SVG = `<svg ${NS}><script>fetch('/steal?'+document.cookie)</script></svg>`;
const LEAD = post({ title: 'Lead', date: '2024-03-01' }, 'A folder post.');
const FLAT = post({ title: 'Flat', date: '2024-02-01' }, 'A flat post.');

describe('files beside posts and pages', () => {
  it('publishes a photo and a clean SVG of a folder post beside its page', async () => {
    const root = await makeSite({
      'posts/lead/index.md': LEAD,
      'posts/lead/photo.jpg': 'not really a jpeg',
      'posts/lead/chart.svg': CLEAN_SVG,
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual([]);
    expect(await exists(path.join(root, 'dist/posts/lead/index.html'))).toBe(true);
    expect(await readOut(root, 'posts/lead/photo.jpg')).toBe('not really a jpeg');
    expect(await readOut(root, 'posts/lead/chart.svg')).toBe(CLEAN_SVG);
  });

  it.each([
    ['an SVG with onload', 'evil.svg', ONLOAD_SVG, 'the SVG holds an event-handler attribute (onload=, onclick=…), which would run as the site when the image is opened'],
    ['an SVG with <script>', 'evil.svg', SCRIPT_SVG, 'the SVG holds a <script> element, which would run as the site when the image is opened'],
    ['an HTML page', 'steal.html', '<script>fetch("/steal?" + document.cookie)</script>', 'a .html file would run as the site when opened'],
    ['a script', 'app.js', 'fetch("/steal?" + document.cookie)', 'a .js file would run as the site when opened'],
  ])('refuses %s in a folder post, naming it, and leaves the previous output as it was', async (_, name, contents, reason) => {
    const root = await makeSite({ 'posts/lead/index.md': LEAD, 'posts/lead/photo.jpg': 'jpeg' });
    expect((await buildSite(root)).ok).toBe(true);
    const before = await snapshot(path.join(root, 'dist'));

    await writeFiles(root, { [`posts/lead/${name}`]: contents });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual([`posts/lead/${name}  error  refusing to publish posts/lead/${name}: ${reason}  [content/active-file]`]);
    expect(result.messages[0]!.hint).toContain('static/');
    expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
  });

  it('builds nothing from scratch when a folder post holds an active file', async () => {
    const root = await makeSite({ 'posts/lead/index.md': LEAD, 'posts/lead/evil.svg': ONLOAD_SVG });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(result.messages.map((m) => [m.file, m.rule])).toEqual([['posts/lead/evil.svg', 'content/active-file']]);
    expect(await exists(path.join(root, 'dist'))).toBe(false);
  });

  it('refuses an active SVG that a flat post links to', async () => {
    const root = await makeSite({
      'posts/2024-02-01-flat.md': post({ title: 'Flat', date: '2024-02-01' }, 'See [the chart](files/evil.svg) and [the clean one](files/chart.svg).'),
      'posts/files/evil.svg': SCRIPT_SVG,
      'posts/files/chart.svg': CLEAN_SVG,
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual([
      'posts/files/evil.svg  error  refusing to publish posts/files/evil.svg: the SVG holds a <script> element, which would run as the site when the image is opened  [content/active-file]',
    ]);
  });

  it('publishes a clean SVG that a flat post links to', async () => {
    const root = await makeSite({
      'posts/2024-02-01-flat.md': post({ title: 'Flat', date: '2024-02-01' }, 'See [the chart](files/chart.svg).'),
      'posts/files/chart.svg': CLEAN_SVG,
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(await readOut(root, 'posts/files/chart.svg')).toBe(CLEAN_SVG);
    expect(await readOut(root, 'posts/flat/index.html')).toContain('href="/posts/files/chart.svg"');
  });

  it('says nothing of an unlinked HTML file beside flat posts, and does not publish it', async () => {
    const root = await makeSite({
      'posts/2024-02-01-flat.md': FLAT,
      'posts/notes.html': '<script>alert(1)</script>',
      'pages/draft.html': '<script>alert(1)</script>',
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual([]);
    expect(await exists(path.join(root, 'dist/posts/notes.html'))).toBe(false);
    expect(await exists(path.join(root, 'dist/pages/draft.html'))).toBe(false);
    expect(await exists(path.join(root, 'dist/draft.html'))).toBe(false);
  });

  it('leaves a file of an unknown type out of a folder post with a warning, and builds', async () => {
    const root = await makeSite({ 'posts/lead/index.md': LEAD, 'posts/lead/route.gpx': '<gpx/>', 'posts/lead/photo.jpg': 'jpeg' });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual([
      'posts/lead/route.gpx  warning  posts/lead/route.gpx is left out of the site: a file of an unknown type (.gpx) is not published from here  [content/unknown-file]',
    ]);
    expect(await exists(path.join(root, 'dist/posts/lead/route.gpx'))).toBe(false);
    expect(await readOut(root, 'posts/lead/photo.jpg')).toBe('jpeg');
  });

  it('publishes files with script from static/ unchanged, as the site owners put them there', async () => {
    const widget = '<!doctype html><title>Widget</title><script>document.title = "ran"</script>';
    const root = await makeSite({
      'posts/2024-02-01-flat.md': FLAT,
      'static/widget.html': widget,
      'static/anim.svg': SCRIPT_SVG,
      'static/js/app.js': 'console.log(1)',
    });
    const result = await buildSite(root);
    expect(result.ok).toBe(true);
    expect(lines(result.messages)).toEqual([]);
    expect(await readOut(root, 'widget.html')).toBe(widget);
    expect(await readOut(root, 'anim.svg')).toBe(SCRIPT_SVG);
    expect(await readOut(root, 'js/app.js')).toBe('console.log(1)');
  });
});

describe('files beside posts, rebuilt with the build cache', () => {
  /** One run of gi-build as the command line does it: the state comes from the cache on disk only. */
  async function run(root: string): Promise<BuildResult> {
    const config = await loadConfig({ root }, root);
    return buildWithCache(config, { now: NOW }, { dir: cacheDir(root) });
  }

  it('refuses a clean SVG edited to hold a script, though no post changed', async () => {
    const root = await makeSite({ 'posts/lead/index.md': LEAD, 'posts/lead/chart.svg': CLEAN_SVG });
    expect((await run(root)).ok).toBe(true);
    // A second run with nothing changed takes the cache's shortcut: the control for the case below.
    const again = await run(root);
    expect(again.ok).toBe(true);
    expect(again.counts).toMatchObject({ parsed: 0, rendered: 0, written: [] });
    const before = await snapshot(path.join(root, 'dist'));

    await writeFiles(root, { 'posts/lead/chart.svg': CLEAN_SVG.replace('<rect', '<script>alert(1)</script><rect') });
    const result = await run(root);
    expect(result.ok).toBe(false);
    expect(lines(result.messages)).toEqual([
      'posts/lead/chart.svg  error  refusing to publish posts/lead/chart.svg: the SVG holds a <script> element, which would run as the site when the image is opened  [content/active-file]',
    ]);
    expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
    expect(await fs.readFile(path.join(root, 'dist/posts/lead/chart.svg'), 'utf8')).toBe(CLEAN_SVG);
  });

  it('publishes the SVG again once the script is taken out', async () => {
    const root = await makeSite({ 'posts/lead/index.md': LEAD, 'posts/lead/chart.svg': ONLOAD_SVG });
    expect((await run(root)).ok).toBe(false);
    await writeFiles(root, { 'posts/lead/chart.svg': CLEAN_SVG });
    const result = await run(root);
    expect(result.ok).toBe(true);
    expect(await readOut(root, 'posts/lead/chart.svg')).toBe(CLEAN_SVG);
  });
});
