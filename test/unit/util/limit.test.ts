import { describe, expect, it } from 'vitest';
import { fileTasks, limiter } from '../../../src/util/limit.js';

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

describe('fileTasks', () => {
  /** Spins for `ms`, as a synchronous call on a slow disk would block. */
  const block = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };

  /** An asynchronous task of 5 ms, and the most of them that ran at once. */
  const inFlight = () => {
    let running = 0;
    let most = 0;
    const later = async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    return { later, most: () => most };
  };

  it('runs tasks synchronously, one by one, while they are quick', async () => {
    const run = fileTasks();
    const order: string[] = [];
    const all = Array.from({ length: 40 }, (_, i) => run(() => void order.push(`now ${i}`), async () => void order.push(`later ${i}`)));
    // Done before the call returned, not on a later turn of the event loop.
    expect(order).toHaveLength(40);
    await Promise.all(all);
    expect(order.every((o) => o.startsWith('now'))).toBe(true);
  });

  it('goes over to side by side once the synchronous calls are slow, as on a network share', async () => {
    const run = fileTasks();
    let now = 0;
    const { later, most } = inFlight();
    await Promise.all(Array.from({ length: 60 }, () => run(() => (now++, block(3)), later)));
    expect(now).toBe(8);
    expect(most()).toBe(16);
  });

  it('runs a task that has no synchronous form side by side, within the same limit as the slow ones', async () => {
    const run = fileTasks();
    const { later, most } = inFlight();
    let now = 0;
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? run(null, later) : run(() => void now++, later))));
    expect(now).toBe(20);
    expect(most()).toBe(16);
  });

  it('passes a synchronous failure to its caller as a rejection', async () => {
    const run = fileTasks();
    await expect(run(() => { throw new Error('ENOSPC'); }, async () => undefined)).rejects.toThrow('ENOSPC');
  });
});
