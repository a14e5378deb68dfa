/** Files open at once at the most: enough to keep the disk busy, few enough for any limit on open files. */
export const FILES_AT_ONCE = 16;

/**
 * A limit on tasks running at once: the function it gives runs each task it is handed as soon as
 * fewer than `size` of them are running, in the order they were handed in.
 */
export function limiter(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  const waiting: (() => void)[] = [];
  let running = 0;
  const start = () => {
    while (running < size && waiting.length > 0) {
      running++;
      waiting.shift()!();
    }
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push(() => {
        // A task that throws before its first await counts as a rejected one.
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            running--;
            start();
          });
      });
      start();
    });
}
