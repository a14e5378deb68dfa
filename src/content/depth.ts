/** The deepest nesting of lists and block quotes in a Markdown body, and the line (0-based) where it is reached. */
export interface Nesting {
  depth: number;
  line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const QUOTES = /^(?: {0,3}>)+/;
/** A thematic break (`* * *`, `- - -`), which is not a list however many markers it has. */
const BREAK = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const MARKER = /^([-*+]|\d{1,9}[.)])( +|\t|$)/;
const QUOTE = /^ {0,3}> ?/;

/** Columns of leading white space, a tab counting to the next multiple of 4 (as CommonMark says). */
function indentOf(text: string): { columns: number; length: number } {
  let columns = 0;
  let length = 0;
  for (; length < text.length; length++) {
    if (text[length] === ' ') columns++;
    else if (text[length] === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return { columns, length };
}

/**
 * Estimates how deeply a body nests lists and block quotes, from each line's quote markers,
 * indentation and list markers, in one pass and without parsing it: parsers take time and stack
 * that grow with the depth of every line, so a body nested far deeper than any real post is
 * refused before it is parsed. No Markdown library reports nesting before parsing.
 */
export function measureNesting(body: string): Nesting {
  const lines = body.split('\n');
  // Content columns of the list items open at this point, innermost last.
  const open: number[] = [];
  let fence: string | null = null;
  let deepest: Nesting = { depth: 0, line: 0 };
  for (const [i, raw] of lines.entries()) {
    const quoted = QUOTES.exec(raw);
    let quotes = quoted ? quoted[0].split('>').length - 1 : 0;
    let rest = quoted ? raw.slice(quoted[0].length) : raw;
    const fenceOpen = FENCE.exec(rest.trimStart());
    if (fence !== null) {
      if (fenceOpen && fenceOpen[1]!.startsWith(fence)) fence = null;
      continue;
    }
    if (rest.trim() === '') continue;
    const indent = indentOf(rest);
    let column = indent.columns;
    rest = rest.slice(indent.length);
    while (open.length > 0 && open[open.length - 1]! > column) open.pop();
    if (BREAK.test(rest)) continue;
    // Several markers on one line (`- - - item`, `- > - > item`) open as many lists and quotes.
    // Lists after a quote opened within the line last only as long as that quote: counted for this line alone.
    let inner = 0;
    let quotedHere = false;
    for (let m = MARKER.exec(rest) ?? QUOTE.exec(rest); m; m = MARKER.exec(rest) ?? QUOTE.exec(rest)) {
      column += m[0].length;
      rest = rest.slice(m[0].length);
      if (m[0].trimStart().startsWith('>')) {
        quotes++;
        quotedHere = true;
      } else if (quotedHere) {
        inner++;
      } else {
        open.push(column);
      }
    }
    const fenced = FENCE.exec(rest);
    if (fenced) fence = fenced[1]![0]!.repeat(fenced[1]!.length);
    const depth = quotes + inner + open.length;
    if (depth > deepest.depth) deepest = { depth, line: i };
  }
  return deepest;
}
