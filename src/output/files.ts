/** A file the build will put in the output folder: in-memory contents, or a copy of a source file. */
export type OutputFile =
  | { path: string; contents: string | Uint8Array }
  | { path: string; copyFrom: string };
