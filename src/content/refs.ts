// The placeholders a parsed post's HTML holds for site links: tiny, so that the site stages can
// resolve them without loading the Markdown pipeline.

/** Placeholder scheme for links whose final URL is only known once every post is known. */
export const REF_SCHEME = 'gi-ref:';

/** Encodes a ref target so it survives as one attribute token (`?` and `#` included). */
export function encodeTarget(target: string): string {
  return encodeURI(target).replace(/\?/g, '%3F').replace(/#/g, '%23');
}
