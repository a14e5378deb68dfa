/** Where the CLI reads its surroundings and writes its output; injected so tests need no globals. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  /** The current time (ms), for dates of new posts and future-post checks. */
  now: number;
  /** Resolves when the person asks a long-running command (watch, serve) to stop: Ctrl-C. */
  stopRequested: () => Promise<void>;
}

/** Resolves on the first SIGINT (Ctrl-C) or SIGTERM. */
export function onStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Exit codes: built, content errors, usage or configuration errors, a bug in gi-build, stopped by Ctrl-C (128 + SIGINT). */
export const EXIT = { ok: 0, content: 1, usage: 2, internal: 3, stopped: 130 } as const;
