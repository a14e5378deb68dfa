/**
 * A file the build will put in the output folder: in-memory contents, or a copy of a source file.
 * `key`, when the producer already knows one, identifies the contents so the writer need not hash them.
 */
export type OutputFile =
  | { path: string; contents: string | Uint8Array; key?: string }
  | { path: string; copyFrom: string };
