import type { Place } from '../util/messages.js';

/** Characters that may stand right before a URL in Markdown or HTML: `(`, `<`, quotes, `=`, `:`, space. */
const BEFORE = /[(<"'=:\s]/;
/** Characters that may stand right after one: `)`, `>`, quotes, space, or the start of a title. */
const AFTER = /[)>"'\s]/;

/**
 * Where a URL is written in a source file, as the first standalone occurrence of any of `spellings`
 * (a URL inside a longer one does not count), or null. Used to position a message about a page on
 * the line of its Markdown that produced the URL.
 */
export function locate(text: string, spellings: readonly string[]): Place | null {
  for (const needle of spellings) {
    // Too short to tell apart from ordinary text.
    if (needle.length < 2) continue;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
      const before = at === 0 ? ' ' : text[at - 1]!;
      const after = at + needle.length === text.length ? ' ' : text[at + needle.length]!;
      if (!BEFORE.test(before) || !AFTER.test(after)) continue;
      const lines = text.slice(0, at).split('\n');
      return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
    }
  }
  return null;
}
