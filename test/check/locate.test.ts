import { describe, expect, it } from 'vitest';
import { locate } from '../../src/check/locate.js';

describe('locate', () => {
  const text = '---\ntitle: A\n---\n\nSee [x](/nope/more/) and\n[y](/nope/) or <a href="/raw/">z</a>.\n\n[ref]: /defined/\n';
  it.each([
    [['/nope/'], { line: 6, column: 5 }],
    [['/raw/'], { line: 6, column: 25 }],
    [['/defined/'], { line: 8, column: 8 }],
    [['/blog/nope/', '/nope/'], { line: 6, column: 5 }],
    [['/missing/'], null],
    [['#'], null],
  ])('finds %j at %j', (spellings, place) => {
    expect(locate(text, spellings)).toEqual(place);
  });
});
