import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../../src/content/decode.js';

const FILE = 'posts/a.md';
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('decodeUtf8', () => {
  it.each([
    ['plain UTF-8', utf8('---\ntitle: Café\n---\n'), '---\ntitle: Café\n---\n'],
    ['a BOM is dropped', utf8('\uFEFF---\ntitle: x\n'), '---\ntitle: x\n'],
    ['CRLF becomes LF', utf8('a\r\nb\r\n'), 'a\nb\n'],
    ['a lone CR becomes LF', utf8('a\rb'), 'a\nb'],
    ['BOM and CRLF together', utf8('\uFEFF---\r\ntitle: x\r\n---\r\nbody\r\n'), '---\ntitle: x\n---\nbody\n'],
    ['a BOM inside the text is kept', utf8('a\uFEFFb'), 'a\uFEFFb'],
    ['an empty file', new Uint8Array(), ''],
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
});
