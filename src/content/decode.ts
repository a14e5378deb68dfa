import { error, type Message } from '../util/messages.js';

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a file as strict UTF-8: a BOM is dropped and CRLF becomes LF; bytes that are not UTF-8
 * give an error naming the line, never silently garbled text.
 */
export function decodeUtf8(file: string, bytes: Uint8Array): { text: string } | { message: Message } {
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
