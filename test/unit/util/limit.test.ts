import { describe, expect, it } from 'vitest';
import { limiter } from '../../../src/util/limit.js';

describe('limiter', () => {
  it('runs at most `size` tasks at once, in the order they were handed in', async () => {
    const run = limiter(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        run(async () => {
          started.push(i);
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return i * 2;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('passes a failure to its caller and goes on with the next tasks', async () => {
    const run = limiter(1);
    const failing = run(() => {
      throw new Error('no');
    });
    const next = run(async () => 'next');
    await expect(failing).rejects.toThrow('no');
    await expect(next).resolves.toBe('next');
  });
});
