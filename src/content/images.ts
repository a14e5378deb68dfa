import fs from 'node:fs/promises';
import path from 'node:path';
import { signature } from '../util/hash.js';

/** An image's intrinsic size, for `width`/`height` attributes that keep pages from jumping. */
export interface ImageSize {
  width: number;
  height: number;
}

/** A measured image, with the signature of the file it was measured from. */
export interface MeasuredImage {
  signature: string;
  size: ImageSize | null;
}

const IMAGE_RE = /\.(png|jpe?g|gif|webp|avif|svg|bmp|ico|tiff?)$/i;

/**
 * Reads the size of each image file (site-relative paths) from its header. A file measured by the
 * previous build with the same signature is not read again; files that are not images, or that
 * cannot be read, get no size.
 */
export async function measureImages(root: string, targets: Iterable<string>, previous?: ReadonlyMap<string, MeasuredImage>): Promise<Map<string, MeasuredImage>> {
  const measured = new Map<string, MeasuredImage>();
  await Promise.all(
    [...new Set(targets)].filter((t) => IMAGE_RE.test(t)).map(async (target) => {
      const file = path.join(root, target);
      const stat = await fs.stat(file).catch(() => null);
      if (!stat) return;
      const sig = signature(stat);
      const known = previous?.get(target);
      if (known?.signature === sig) {
        measured.set(target, known);
        return;
      }
      let size: ImageSize | null = null;
      try {
        // The measuring library loads only when an image must be measured (a build with none to measure does without it).
        const { imageSize } = await import('image-size');
        const dims = imageSize(await fs.readFile(file));
        // EXIF orientations 5–8 turn the picture a quarter: the browser shows it with sides swapped.
        const turned = (dims.orientation ?? 1) >= 5;
        if (dims.width && dims.height) size = turned ? { width: dims.height, height: dims.width } : { width: dims.width, height: dims.height };
      } catch {
        size = null;
      }
      measured.set(target, { signature: sig, size });
    }),
  );
  return measured;
}
