import { describe, expect, it } from 'vitest';
import { KNOWN_KEYS } from '../../../src/content/validate.js';
import { editDistance, suggest } from '../../../src/util/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['a', '', 1],
    ['', 'abc', 3],
    ['title', 'title', 0],
    ['kitten', 'sitting', 3],
    ['tittle', 'title', 1],
    ['tag', 'tags', 1],
    ['autor', 'author', 1],
    // A swap of neighbours is one edit.
    ['teh', 'the', 1],
    ['ab', 'ba', 1],
    ['abc', 'acb', 1],
    // Optimal string alignment: no edits inside a swapped pair.
    ['ca', 'abc', 3],
  ])('%j ↔ %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('suggest among the front matter keys', () => {
  it.each([
    ['tittle', 'title'],
    ['tag', 'tags'],
    ['autor', 'author'],
    ['athor', 'author'],
    ['Title', 'title'],
    ['TITEL', 'title'],
    ['dat', 'date'],
    ['draf', 'draft'],
    ['tgs', 'tags'],
    ['imagealt', 'imageAlt'],
    ['image_alt', 'imageAlt'],
    ['summry', 'summary'],
    ['updatd', 'updated'],
    ['serie', 'series'],
    ['guset', 'guest'],
    ['slg', 'slug'],
    ['colour', undefined],
    ['x', undefined],
    ['category', undefined],
  ])('%j → %j', (name, expected) => {
    expect(suggest(name, KNOWN_KEYS)).toBe(expected);
  });

  it('suggests nothing from an empty list', () => {
    expect(suggest('tittle', [])).toBeUndefined();
  });

  it('prefers the closest of several candidates', () => {
    expect(suggest('dates', ['date', 'dated', 'updates'])).toBe('date');
  });
});
