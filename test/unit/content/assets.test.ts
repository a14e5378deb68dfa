import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeSvgContent, refusedMessage, screenAsset, screenAssets } from '../../../src/content/assets.js';

const NS = 'xmlns="http://www.w3.org/2000/svg"';
const XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"';
const svg = (inner: string, attrs = '') => `<svg ${NS}${attrs}>${inner}</svg>`;

describe('activeSvgContent', () => {
  it.each([
    ['a bare shape', svg('<rect width="10" height="10" fill="red"/>')],
    ['an XML declaration and a comment', `<?xml version="1.0" encoding="UTF-8"?>\n<!-- exported -->\n${svg('<circle r="4"/>')}`],
    ['a <style> element', svg('<style>.a { fill: #c00; stroke-width: 2 } @media (prefers-color-scheme: dark) { .a { fill: #fff } }</style><rect class="a"/>')],
    ['gradients and a use of one', svg('<defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs><rect fill="url(#g)"/>')],
    ['a link to a fragment', svg('<a href="#x"><text id="x">here</text></a>')],
    ['an xlink:href to a fragment', svg('<use xlink:href="#shape"/>', ` ${XLINK}`)],
    ['an https link', svg('<a href="https://example.org/">site</a>')],
    ['the word "online" in text', svg('<text>We are online every day</text>')],
    ['the word "onion" in text', svg('<text x="1">onion rings</text>')],
    ['"online" as a class name', svg('<g class="online"><rect/></g>')],
    ['a data: URL holding a PNG', svg('<image href="data:image/png;base64,iVBORw0KGgo="/>')],
    ['an animation of a colour', svg('<rect><animate attributeName="fill" to="blue" dur="1s"/></rect>')],
  ])('finds nothing in %s', (_, text) => {
    expect(activeSvgContent(text)).toBeNull();
  });

  it.each([
    ['<script>', svg("<script>alert('x')</script>"), 'a <script> element'],
    ['<SCRIPT> in capitals', svg('<SCRIPT>alert(1)</SCRIPT>'), 'a <script> element'],
    ['<svg:script> with a prefix', `<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>alert(1)</svg:script></svg:svg>`, 'a <script> element'],
    ['<é:script> with a prefix of other letters', `<svg xmlns:é="http://www.w3.org/2000/svg"><é:script>document.title='x'</é:script></svg>`, 'a <script> element'],
    ['<é:iframe> with a prefix of other letters', `<svg xmlns:é="http://www.w3.org/1999/xhtml"><é:iframe src="x"/></svg>`, 'an element that embeds or runs other content'],
    ['onload= on the root', svg('<rect/>', ' onload="alert(1)"'), 'an event-handler attribute (onload=, onclick=…)'],
    ['ONCLICK = in capitals, spaced', svg('<rect ONCLICK = "alert(1)"/>'), 'an event-handler attribute (onload=, onclick=…)'],
    ['onload on a second line', `<svg ${NS}\n  onload="alert(1)">\n<rect/></svg>`, 'an event-handler attribute (onload=, onclick=…)'],
    ['onmouseover right after another attribute', svg(`<rect width="1"\tonmouseover='alert(1)'/>`), 'an event-handler attribute (onload=, onclick=…)'],
    ['javascript: in href', svg('<a href="javascript:alert(1)">x</a>'), 'a javascript: URL'],
    ['javascript: in xlink:href', svg('<a xlink:href="javascript:alert(1)">x</a>', ` ${XLINK}`), 'a javascript: URL'],
    ['JavaScript: in mixed case', svg('<a href="JavaScript:alert(1)">x</a>'), 'a javascript: URL'],
    ['javascript: with character references', svg('<a href="&#106;avascript&#x3A;alert(1)">x</a>'), 'a javascript: URL'],
    ['javascript: with zero-padded references and no semicolons', svg('<a href="&#0000106&#x61vascript:alert(1)">x</a>'), 'a javascript: URL'],
    ['javascript: split by a tab', svg('<a href="java\tscript:alert(1)">x</a>'), 'a javascript: URL'],
    ['javascript: split by an encoded tab and newline', svg('<a href="java&#x09;scr&#10;ipt:alert(1)">x</a>'), 'a javascript: URL'],
    ['vbscript:', svg('<a href="vbscript:msgbox(1)">x</a>'), 'a javascript: URL'],
    ['<set> animating href to javascript:', svg('<a href="#"><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>'), 'a javascript: URL'],
    ['<foreignObject>', svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>'), 'a <foreignObject> (HTML inside the image)'],
    ['<iframe>', svg('<iframe xmlns="http://www.w3.org/1999/xhtml" src="https://example.org"/>'), 'an element that embeds or runs other content'],
    ['<embed>', svg('<embed xmlns="http://www.w3.org/1999/xhtml" src="x.swf"/>'), 'an element that embeds or runs other content'],
    ['<object>', svg('<object xmlns="http://www.w3.org/1999/xhtml" data="x.html"/>'), 'an element that embeds or runs other content'],
    ['data:text/html', svg('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>'), 'a data: URL holding a document'],
    ['data:image/svg+xml in <use>', svg('<use href="data:image/svg+xml;base64,PHN2Zz4="/>'), 'a data: URL holding a document'],
    ['<!ENTITY>', `<!DOCTYPE svg [<!ENTITY x "y">]>${svg('<text>&x;</text>')}`, 'an entity declaration'],
    ['xml-stylesheet', `<?xml-stylesheet type="text/xsl" href="x.xsl"?>${svg('<rect/>')}`, 'a style sheet processing instruction'],
  ])('finds %s', (_, text, what) => {
    expect(activeSvgContent(text)).toBe(what);
  });
});

describe('screenAsset', () => {
  const unread = () => Promise.reject(new Error('only an SVG is read'));

  it.each(['posts/lead/photo.jpg', 'posts/lead/PHOTO.PNG', 'posts/lead/clip.mp4', 'pages/files/report.pdf', 'posts/files/data.csv', 'posts/lead/font.woff2', 'posts/a.tar.gz'])(
    'publishes %s without reading it',
    async (file) => {
      expect(await screenAsset(file, unread)).toBeNull();
    },
  );

  it.each([
    ['posts/lead/steal.html', 'html'],
    ['posts/lead/STEAL.HTM', 'htm'],
    ['posts/lead/app.js', 'js'],
    ['posts/lead/app.mjs', 'mjs'],
    ['pages/files/page.xhtml', 'xhtml'],
    ['posts/lead/feed.xml', 'xml'],
    ['posts/lead/image.svgz', 'svgz'],
  ])('refuses %s with an error', async (file, ext) => {
    expect(await screenAsset(file, unread)).toEqual({ severity: 'error', reason: `a .${ext} file would run as the site when opened` });
  });

  it.each([
    ['posts/lead/route.gpx', 'a file of an unknown type (.gpx) is not published from here'],
    ['posts/lead/thing.foo', 'a file of an unknown type (.foo) is not published from here'],
    ['posts/lead/README', 'a file of an unknown type is not published from here'],
  ])('leaves out %s with a warning', async (file, reason) => {
    expect(await screenAsset(file, unread)).toEqual({ severity: 'warning', reason });
  });

  it('reads an SVG, publishing a clean one and refusing one with script', async () => {
    expect(await screenAsset('posts/lead/chart.svg', async () => svg('<rect/>'))).toBeNull();
    expect(await screenAsset('posts/lead/EVIL.SVG', async () => svg('<rect/>', ' onload="alert(1)"'))).toEqual({
      severity: 'error',
      reason: 'the SVG holds an event-handler attribute (onload=, onclick=…), which would run as the site when the image is opened',
    });
  });
});

describe('screenAssets', () => {
  it('reads the SVGs from disk, passes Markdown over and lists only what may not be published', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-assets-'));
    const files: Record<string, string> = {
      'posts/lead/index.md': '# not screened',
      'posts/lead/notes.md': '<script>not screened either</script>',
      'posts/lead/photo.jpg': 'jpeg bytes',
      'posts/lead/chart.svg': svg('<rect/>'),
      'posts/lead/evil.svg': svg('<script>alert(1)</script>'),
      'posts/lead/route.gpx': '<gpx/>',
    };
    for (const [rel, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await fs.writeFile(path.join(root, rel), text);
    }
    const screened = await screenAssets(root, Object.keys(files));
    expect([...screened.keys()].sort()).toEqual(['posts/lead/evil.svg', 'posts/lead/route.gpx']);
    expect(screened.get('posts/lead/evil.svg')?.severity).toBe('error');
    expect(screened.get('posts/lead/route.gpx')?.severity).toBe('warning');
  });
});

describe('refusedMessage', () => {
  it('makes an error with rule content/active-file, naming the file', () => {
    const m = refusedMessage('posts/lead/steal.html', { severity: 'error', reason: 'a .html file would run as the site when opened' });
    expect(m).toMatchObject({ file: 'posts/lead/steal.html', severity: 'error', rule: 'content/active-file', reason: 'refusing to publish posts/lead/steal.html: a .html file would run as the site when opened' });
    expect(m.hint).toContain('static/');
  });

  it('makes a warning with rule content/unknown-file', () => {
    const m = refusedMessage('posts/lead/route.gpx', { severity: 'warning', reason: 'a file of an unknown type (.gpx) is not published from here' });
    expect(m).toMatchObject({ file: 'posts/lead/route.gpx', severity: 'warning', rule: 'content/unknown-file' });
    expect(m.reason).toBe('posts/lead/route.gpx is left out of the site: a file of an unknown type (.gpx) is not published from here');
  });
});

// Browsers decode an SVG as its byte order mark or XML declaration says; the screen reads it as
// UTF-8. Each of these runs its script when opened in Chromium.
describe('SVGs in other encodings', () => {
  const utf16le = (text: string) => Buffer.from(text, 'utf16le');
  const asRead = (bytes: Buffer) => async () => bytes.toString('utf8');
  const DECLARED = `<?xml version="1.0" encoding="UTF-16"?>${svg('<rect/>', ' onload="alert(1)"')}`;

  it.each([
    ['UTF-16 with a BOM, onload', utf16le(`\uFEFF${svg('<rect/>', ' onload="alert(1)"')}`)],
    ['UTF-16BE with a BOM, onload', utf16le(`\uFEFF${svg('<rect/>', ' onload="alert(1)"')}`).swap16()],
    ['ISO-2022-JP, an escape inside "onload"', Buffer.from(`<?xml version="1.0" encoding="ISO-2022-JP"?>${svg('<rect/>', ' on\x1b(Bload="alert(1)"')}`, 'latin1')],
    ['ISO-2022-JP, an escape inside "script"', Buffer.from(`<?xml version="1.0" encoding="ISO-2022-JP"?>${svg('<scr\x1b(Bipt>alert(1)</scr\x1b(Bipt>')}`, 'latin1')],
  ])('refuses %s', async (_, bytes) => {
    expect(await screenAsset('posts/lead/evil.svg', asRead(bytes))).toMatchObject({ severity: 'error' });
  });

  // Without a BOM, Chromium still reads UTF-16 from the declaration's bytes (`<\0?\0x\0`), which
  // read as UTF-8 are valid text with a NUL after each letter: refused for the NULs.
  it.each([
    ['UTF-16LE without a BOM, declared', utf16le(DECLARED)],
    ['UTF-16BE without a BOM, declared', utf16le(DECLARED).swap16()],
  ])('refuses %s', async (_, bytes) => {
    expect(await screenAsset('posts/lead/evil.svg', asRead(bytes))).toMatchObject({ severity: 'error' });
  });
});
