import fsSync from 'node:fs';
import fs from 'node:fs/promises';

/** The temporary name a file is written under before it is renamed into place. */
export function tempName(file: string): string {
  return `${file}.gi-tmp-${process.pid}`;
}

/** The end of a `tempName`, which a build killed between writing and renaming leaves behind. */
export const TEMP_SUFFIX = /\.gi-tmp-\d+$/;

/** Writes a file beside its place and renames it there: a reader, or a build stopped half-way, never sees half a file. */
export async function writeWhole(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(file);
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

/** `writeWhole`, done before returning to the event loop. */
export function writeWholeNow(file: string, data: string | Uint8Array): void {
  const tmp = tempName(file);
  fsSync.writeFileSync(tmp, data);
  fsSync.renameSync(tmp, file);
}
