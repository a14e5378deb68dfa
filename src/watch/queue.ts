/**
 * Runs one build at a time. Events that arrive while a build runs are collected and run as exactly
 * one more build after it, however many there were.
 */
export class RebuildQueue<T> {
  private pending: T[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly run: (batch: T[]) => Promise<void>) {}

  /** Adds events; starts a build unless one is running. */
  push(events: T[]): void {
    this.pending.push(...events);
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
    }
  }

  /** Resolves when no build is running or waiting. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await this.run(batch);
    }
  }
}
