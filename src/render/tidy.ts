const KEEP = /(<(pre|textarea|script)\b[\s\S]*?<\/\2>)/gi;

/**
 * Tidies a rendered page's whitespace, which templates leave wherever a block helper stood on its
 * own line: trailing spaces and runs of blank lines go. `<pre>`, `<textarea>` and `<script>` are
 * left exactly as they are.
 */
export function tidyHtml(html: string): string {
  return html
    .split(KEEP)
    .map((part, i) => {
      // split() with a capturing group puts each kept element at i % 3 === 1, its tag name at i % 3 === 2.
      if (i % 3 === 1) return part;
      if (i % 3 === 2) return '';
      return part.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n');
    })
    .join('');
}
