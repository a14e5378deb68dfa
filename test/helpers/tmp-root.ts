import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Vitest's global setup: every temporary folder of a test run (sites, builds, browser profiles)
 * goes under one folder of its own, removed when the run ends, so runs leave nothing in /tmp.
 */
export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gi-build-tests-'));
  // Test workers, and the processes tests start, are created after this and inherit it.
  process.env.TMPDIR = root;
  return () => fs.rmSync(root, { recursive: true, force: true, maxRetries: 5 });
}
