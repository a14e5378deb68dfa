import { describe, expect, it } from 'vitest';
import { countLine, formatMessage, progressPrinter } from '../../../src/cli/reporter.js';
import { error, warning } from '../../../src/util/messages.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream & { isTTY: boolean; chunks: string[] };
}

describe('formatMessage', () => {
  it.each([
    [error('posts/a.md', 'bad', 'x/y', { line: 3, column: 7 }), 'posts/a.md:3:7  error  bad  [x/y]'],
    [warning('posts/a.md', 'meh', 'x/z', { line: 2 }), 'posts/a.md:2:1  warning  meh  [x/z]'],
    [error('posts/a.md', 'clash', 'output/collision'), 'posts/a.md  error  clash  [output/collision]'],
    [error('', 'site-wide', 'search/size'), 'site  error  site-wide  [search/size]'],
    [error('a.md', 'r', 'q', { line: 1, column: 1 }, 'do this\nthen that'), 'a.md:1:1  error  r  [q]\n    do this\n    then that'],
  ])('formats %#', (m, expected) => {
    expect(formatMessage(m)).toBe(expected);
  });
});

describe('countLine', () => {
  it.each([
    [[error('a', 'r', 'x')], '1 error'],
    [[error('a', 'r', 'x'), error('a', 'r', 'x'), warning('a', 'r', 'x')], '2 errors and 1 warning'],
    [[warning('a', 'r', 'x'), warning('a', 'r', 'x')], '2 warnings'],
    [[], ''],
  ])('counts %#', (messages, expected) => {
    expect(countLine(messages)).toBe(expected);
  });
});

describe('progressPrinter', () => {
  it('shows progress on a terminal once a build has taken a second, then clears it', () => {
    let now = 0;
    const stream = fakeStream(true);
    const p = progressPrinter(stream, 0, () => now);
    p.update(1, 100);
    expect(stream.chunks).toEqual([]);
    now = 1500;
    p.update(50, 100);
    now = 1550;
    p.update(51, 100);
    now = 1700;
    p.update(100, 100);
    p.clear();
    expect(stream.chunks).toEqual(['\rParsing posts… 50/100', '\rParsing posts… 100/100', '\r\x1b[K']);
  });

  it('stays silent when output is not a terminal', () => {
    let now = 5000;
    const stream = fakeStream(false);
    const p = progressPrinter(stream, 0, () => now);
    p.update(1, 2);
    now += 1000;
    p.update(2, 2);
    p.clear();
    expect(stream.chunks).toEqual([]);
  });
});
