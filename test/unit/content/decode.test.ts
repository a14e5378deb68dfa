import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../../src/content/decode.js';

const FILE = 'posts/a.md';
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const latin1 = (s: string) => Buffer.from(s, 'latin1');
const utf16le = (s: string) => Buffer.from(s, 'utf16le');
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
const POST = '---\ntitle: Café\ndate: 2024-03-01\n---\n\nSome text.\n';

describe('decodeUtf8', () => {
  it.each([
    ['plain UTF-8', utf8('---\ntitle: Café\n---\n'), '---\ntitle: Café\n---\n'],
    ['a BOM is dropped', utf8('\uFEFF---\ntitle: x\n'), '---\ntitle: x\n'],
    ['CRLF becomes LF', utf8('a\r\nb\r\n'), 'a\nb\n'],
    ['a lone CR becomes LF', utf8('a\rb'), 'a\nb'],
    ['BOM and CRLF together', utf8('\uFEFF---\r\ntitle: x\r\n---\r\nbody\r\n'), '---\ntitle: x\n---\nbody\n'],
    ['a BOM inside the text is kept', utf8('a\uFEFFb'), 'a\uFEFFb'],
    ['an empty file', new Uint8Array(), ''],
    // Not the zero bytes of UTF-16: one stray NUL, or NULs at both even and odd places.
    ['a stray NUL in UTF-8 text', utf8('---\ntitle: a\u0000b\n---\n'), '---\ntitle: a\u0000b\n---\n'],
    ['NULs at even and odd places', utf8(`a${'\u0000'.repeat(16)}b`), `a${'\u0000'.repeat(16)}b`],
  ])('%s', (_, bytes, text) => {
    expect(decodeUtf8(FILE, bytes)).toEqual({ text });
  });

  it.each([
    ['Latin-1 é on line 3', Buffer.concat([utf8('---\ntitle: x\n'), latin1('caf\xe9\n'), utf8('ok\n')]), 3],
    ['Latin-1 on line 1 without a newline', latin1('caf\xe9'), 1],
    ['Latin-1 after CRLF lines', Buffer.concat([utf8('a\r\nb\r\n'), latin1('caf\xe9\r\n')]), 3],
    ['a truncated UTF-8 sequence at the end of line 3', Buffer.from([0x61, 0x0a, 0x62, 0x0a, 0x63, 0xe2, 0x82]), 3],
    ['Windows-1252 quotes on line 2', Buffer.concat([utf8('ok\n'), Buffer.from([0x93, 0x68, 0x69, 0x94])]), 2],
  ])('reports %s with its line and rule content/encoding', (_, bytes, line) => {
    const result = decodeUtf8(FILE, bytes);
    expect(result).toEqual({
      message: expect.objectContaining({ file: FILE, line, column: 1, severity: 'error', rule: 'content/encoding' }),
    });
    if ('message' in result) expect(result.message.hint).toMatch(/UTF-8/);
  });

  it.each([
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(POST)])],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(POST)])],
    ['UTF-16 LE without a BOM', utf16le(POST)],
    ['UTF-16 BE without a BOM', utf16be(POST)],
    ['UTF-16 LE with CJK text after the front matter', utf16le(`${POST}${'日本語のテキスト。'.repeat(200)}`)],
  ])('reports %s as UTF-16, not as Latin-1', (_, bytes) => {
    expect(decodeUtf8(FILE, bytes)).toEqual({
      message: {
        file: FILE,
        line: 1,
        column: 1,
        severity: 'error',
        reason: 'the file was saved as UTF-16 text, which gi-build does not read',
        rule: 'content/encoding',
        hint: 'Save it as UTF-8 in your editor (choose UTF-8 under "Save As" or "Save with Encoding").',
      },
    });
  });
});
