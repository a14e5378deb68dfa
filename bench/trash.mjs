// Folders the benchmark is done with are moved aside, and deleted only once every figure is taken.
// Measured on this machine's disk (ext4 mounted with `discard`, on a virtual disk): for tens of
// seconds after a few thousand files are deleted, creating files and folders there is 5–20× slower
// (5,500 folders made in 0.2 s on a quiet disk, in 1.1–4.6 s right after deleting as many). Each
// site used to be deleted as soon as its size was done, so the next size's cold build, and the
// peers after it, were timed against that backlog.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Below this much free space, a folder is deleted at once rather than kept until the end. */
const KEEP_WHILE_FREE = 20 * 2 ** 30;

let trash = null;

/** Moves `dir` out of the way (deleted by `emptyTrash`); deletes it at once when the disk is short of space. */
export async function retire(dir) {
  const { bavail, bsize } = await fs.statfs(os.tmpdir());
  if (bavail * bsize < KEEP_WHILE_FREE) {
    await fs.rm(dir, { recursive: true, force: true });
    return;
  }
  trash ??= await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-bench-done-'));
  try {
    await fs.rename(dir, path.join(trash, `${path.basename(dir)}-${Date.now()}-${Math.random().toString(36).slice(2)}`));
  } catch (err) {
    // Nothing to move; or another file system, where there is no moving it aside.
    if (err.code === 'ENOENT') return;
    if (err.code !== 'EXDEV') throw err;
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Deletes every folder `retire` moved aside. */
export async function emptyTrash() {
  if (trash) await fs.rm(trash, { recursive: true, force: true });
  trash = null;
}
