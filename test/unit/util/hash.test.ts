import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hash } from '../../../src/util/hash.js';

describe('hash', () => {
  it('gives texts and bytes the same hash, that of every part followed by a NUL', () => {
    const parts = ['Zoë', 'a longer part with – a dash', ''];
    const expected = createHash('sha1').update(parts.map((p) => `${p}\0`).join('')).digest('hex').slice(0, 20);
    expect(hash(...parts)).toBe(expected);
    expect(hash(...parts.map((p) => Buffer.from(p)))).toBe(expected);
    expect(hash(parts[0]!, Buffer.from(parts[1]!), parts[2]!)).toBe(expected);
    expect(hash()).toBe(createHash('sha1').digest('hex').slice(0, 20));
    // Where the parts are cut matters.
    expect(hash('ab', 'c')).not.toBe(hash('a', 'bc'));
  });
});
