import { error, type Message } from '../util/messages.js';

const strict = new TextDecoder('utf-8', { fatal: true });

/** How many leading bytes are enough to tell UTF-16 text by its zero bytes. */
const SNIFF_BYTES = 1024;

/**
 * Whether bytes are UTF-16 text: a byte order mark (FF FE or FE FF), or, without one, zero bytes
 * in every other place, as ASCII has in UTF-16 (a post starts with front matter, whose `---` and
 * keys are ASCII). Stray NULs in UTF-8 text are too few, or fall in both places.
 */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  const end = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < end; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const most = Math.max(evenZeros, oddZeros);
  const least = Math.min(evenZeros, oddZeros);
  // `---` and a newline alone give four; a key and its colon give more.
  return most >= 8 && least <= most / 8;
}

/**
 * Decodes a file as strict UTF-8: a BOM is dropped and CRLF becomes LF; bytes that are not UTF-8
 * give an error naming the line, never silently garbled text.
 */
export function decodeUtf8(file: string, bytes: Uint8Array): { text: string } | { message: Message } {
  // UTF-16 of plain Latin text is valid UTF-8 (full of NULs), so it must be told apart first.
  if (looksLikeUtf16(bytes)) {
    return {
      message: error(
        file,
        'the file was saved as UTF-16 text, which gi-build does not read',
        'content/encoding',
        { line: 1, column: 1 },
        'Save it as UTF-8 in your editor (choose UTF-8 under "Save As" or "Save with Encoding").',
      ),
    };
  }
  try {
    const text = strict.decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    return { text };
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          strict.decode(bytes.subarray(start, i));
        } catch {
          return {
            message: error(
              file,
              'the file is not valid UTF-8 text',
              'content/encoding',
              { line, column: 1 },
              'Save it as UTF-8 in your editor (it was probably saved as Latin-1 or Windows-1252).',
            ),
          };
        }
        line++;
        start = i + 1;
      }
    }
    return { message: error(file, 'the file is not valid UTF-8 text', 'content/encoding', { line: 1, column: 1 }) };
  }
}
