import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir, contentStore } from '../../src/build/cache.js';
import type { Post } from '../../src/content/post.js';
import { hash } from '../../src/util/hash.js';
import { makeSite } from '../helpers/site.js';

/** A parsed post with the given content (the other fields do not matter to the store). */
function parsed(html: string, text: string): Post {
  return { source: 'posts/a.md', title: 'A', html, htmlHash: hash(html), text, textHash: hash(text) } as Post;
}

describe('contentStore (post content into the cache as posts are parsed)', () => {
  it('gives back posts that read their content from the cache once it is written', async () => {
    const root = await makeSite({});
    const errors: Error[] = [];
    const store = contentStore({ dir: cacheDir(root) }, (err) => errors.push(err));
    const posts = Array.from({ length: 30 }, (_, i) => parsed(`<p>post ${i}</p>`, `post ${i}`));
    const kept = posts.map((p) => store.keep(p));
    // Readable at once, before anything is written.
    expect(kept[3]!.html).toBe('<p>post 3</p>');
    await store.settled();
    expect(errors).toEqual([]);
    const dir = path.join(cacheDir(root), 'content');
    expect((await fs.readdir(dir)).length).toBe(30);
    // Read from the file now: replacing the file shows it.
    const file = path.join(dir, `${posts[5]!.htmlHash}-${posts[5]!.textHash}.json`);
    await fs.writeFile(file, JSON.stringify({ html: '<p>from the file</p>', text: 'from the file' }));
    expect(kept[5]!.html).toBe('<p>from the file</p>');
    expect(kept[5]!.text).toBe('from the file');
    // A post the store keeps already is given back as it is.
    expect(store.keep(kept[5]!)).toBe(kept[5]);
  });

  it('gives every post the same content getters, so that the posts share one shape', async () => {
    const root = await makeSite({});
    const store = contentStore({ dir: cacheDir(root) }, () => undefined);
    const [a, b] = [store.keep(parsed('<p>a</p>', 'a')), store.keep(parsed('<p>b</p>', 'b'))];
    await store.settled();
    // Getters of each post's own made every post an object of its own shape, slow to read in every stage.
    expect(Object.getOwnPropertyDescriptor(a!, 'html')).toBeUndefined();
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect([a!.html, b!.text, a!.title]).toEqual(['<p>a</p>', 'b', 'A']);
  });

  it('keeps content in memory and reports the failure once when the cache cannot be written', async () => {
    const root = await makeSite({ '.gi-cache': 'a file where the cache folder would be' });
    const errors: Error[] = [];
    const store = contentStore({ dir: cacheDir(root) }, (err) => errors.push(err));
    const kept = ['one', 'two', 'three'].map((w) => store.keep(parsed(`<p>${w}</p>`, w)));
    await store.settled();
    expect(errors).toHaveLength(1);
    expect(kept.map((p) => p.text)).toEqual(['one', 'two', 'three']);
  });

  it('lets posts with the same content read it only once its one file is written, and keeps it when that fails', async () => {
    const root = await makeSite({});
    const dir = path.join(cacheDir(root), 'content');
    const same = parsed('<p>same</p>', 'same');
    // A folder where the file's temporary copy would go makes that one write fail.
    await fs.mkdir(path.join(dir, `${same.htmlHash}-${same.textHash}.json.gi-tmp-${process.pid}`), { recursive: true });
    const errors: Error[] = [];
    const store = contentStore({ dir: cacheDir(root) }, (err) => errors.push(err));
    const kept = [store.keep(parsed('<p>same</p>', 'same')), store.keep(parsed('<p>other</p>', 'other')), store.keep(parsed('<p>same</p>', 'same'))];
    await store.settled();
    expect(errors).toHaveLength(1);
    expect(kept.map((p) => p.html)).toEqual(['<p>same</p>', '<p>other</p>', '<p>same</p>']);
  });
});
