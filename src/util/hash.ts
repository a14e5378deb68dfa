import { createHash, hash as oneShot } from 'node:crypto';

/** A file's signature for change detection: modification time and size. */
export function signature(stat: { mtimeMs: number; size: number }): string {
  return `${stat.mtimeMs}:${stat.size}`;
}

/** A short, stable content hash (hex). */
export function hash(...parts: (string | Uint8Array)[]): string {
  // Texts alone are hashed in one call: half the time of a Hash object, for the many small keys of a build.
  if (parts.length > 0 && parts.every((p) => typeof p === 'string')) return oneShot('sha1', `${parts.join('\0')}\0`, 'hex').slice(0, 20);
  const h = createHash('sha1');
  for (const part of parts) {
    h.update(part);
    h.update('\0');
  }
  return h.digest('hex').slice(0, 20);
}
