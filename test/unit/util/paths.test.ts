import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, isStrictlyInside, toPosix } from '../../../src/util/paths.js';

const root = path.resolve('/site');
const at = (...parts: string[]) => path.join(root, ...parts);

describe('isInside / isStrictlyInside', () => {
  it.each([
    ['the folder itself', root, true, false],
    ['the folder with a trailing separator', root + path.sep, true, false],
    ['a child', at('posts'), true, true],
    ['a grandchild', at('posts', 'a.md'), true, true],
    // `..foo` is an ordinary name, not a way out.
    ['a child named "..foo"', at('..foo'), true, true],
    ['a child named "..."', at('...'), true, true],
    ['a path that goes down and back up inside', path.join(root, 'a', '..', 'b'), true, true],
    ['the parent via ".."', path.join(root, '..'), false, false],
    ['a sibling via "../x"', path.join(root, '..', 'x'), false, false],
    ['a sibling whose name starts with the folder name', root + '..foo', false, false],
    ['a sibling with a shared prefix', root + '-old', false, false],
    ['a path that goes down then out', path.join(root, 'a', '..', '..', 'c'), false, false],
    ['an unrelated folder', path.resolve('/elsewhere'), false, false],
  ])('%s', (_, child, inside, strictly) => {
    expect(isInside(root, child)).toBe(inside);
    expect(isStrictlyInside(root, child)).toBe(strictly);
  });

  it.each([
    ['a', 'a/b', true],
    ['a', '../a/b', false],
    ['a', '../x', false],
  ])('relative paths: %j contains %j → %s', (parent, child, inside) => {
    expect(isInside(parent, child)).toBe(inside);
  });
});

describe('toPosix', () => {
  it('joins the platform separators with /', () => {
    expect(toPosix(['posts', 'sub', 'a.md'].join(path.sep))).toBe('posts/sub/a.md');
  });
});
