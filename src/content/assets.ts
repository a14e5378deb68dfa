import fs from 'node:fs/promises';
import path from 'node:path';
import { error, warning, type Message } from '../util/messages.js';

// Files beside posts and pages are published on the site's own origin, where a file that a browser
// runs as a document (HTML, script, an SVG with script) could act as the site. Such files belong
// in static/, which the site's owners fill, as they write templates; posts (a guest's too) may
// bring only files that browsers show passively.

/** Extensions of files a browser shows or downloads without running anything of theirs on the site's origin. */
const PASSIVE = new Set([
  // images (SVG is screened apart)
  'apng', 'avif', 'bmp', 'gif', 'heic', 'heif', 'ico', 'jpeg', 'jpg', 'jxl', 'png', 'tif', 'tiff', 'webp',
  // audio and video, subtitles
  'aac', 'flac', 'm4a', 'mp3', 'oga', 'ogg', 'opus', 'wav', 'weba', 'm4v', 'mov', 'mp4', 'ogv', 'webm', 'srt', 'vtt',
  // documents and data to download
  'bib', 'csv', 'doc', 'docx', 'epub', 'ics', 'key', 'numbers', 'odg', 'odp', 'ods', 'odt', 'pages', 'pdf', 'ppt', 'pptx', 'rtf', 'tsv', 'txt', 'xls', 'xlsx',
  // archives and fonts
  '7z', 'gz', 'tar', 'tgz', 'zip', 'otf', 'ttf', 'woff', 'woff2',
]);

/** Extensions of files that browsers run as documents or scripts on the site's origin. */
const ACTIVE = new Set(['htm', 'html', 'js', 'mjs', 'cjs', 'shtml', 'svgz', 'xht', 'xhtml', 'xml', 'xsl', 'xslt', 'wasm']);

/**
 * What an SVG may not hold to be published: script, event handlers, script URLs, embedded
 * documents, entity declarations. Looked for in its text with character references decoded and
 * white space dropped, so that `&#106;ava&#x09;script:` reads as `javascript:`.
 */
const SVG_ACTIVE: readonly [RegExp, string][] = [
  [/<(?:[^\s<>/=!?]+:)?script/i, 'a <script> element'],
  [/<(?:[^\s<>/=!?]+:)?foreignObject/i, 'a <foreignObject> (HTML inside the image)'],
  [/<(?:[^\s<>/=!?]+:)?(?:iframe|embed|object|handler|listener)/i, 'an element that embeds or runs other content'],
  [/(?:java|vb)script:/i, 'a javascript: URL'],
  [/data:(?:text\/html|application\/xhtml|image\/svg)/i, 'a data: URL holding a document'],
  [/<!ENTITY/i, 'an entity declaration'],
  [/<\?xml-stylesheet/i, 'a style sheet processing instruction'],
];
/** An event-handler attribute, looked for in the text as written (dropping white space would join names). */
const SVG_HANDLER = /[\s"'/]on[a-z]+\s*=/i;

/** Why a file may not be published from posts/ or pages/, as a message, or null when it may. */
export interface Screened {
  severity: 'error' | 'warning';
  reason: string;
}

/** An SVG's text with character references decoded and white space and NULs dropped. */
function normaliseSvg(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Math.min(Number(dec), 0x10ffff)))
    .replace(/&(?:tab|newline);/gi, '')
    .replace(/[\s\0]/g, '');
}

/** An XML declaration's encoding. */
const DECLARED_ENCODING = /^\uFEFF?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']/i;

/** What an SVG holds that a browser would run, or null for a clean one. `text` is the file read as UTF-8. */
export function activeSvgContent(text: string): string | null {
  // A browser decodes the file as its XML declaration or byte order mark says; in another encoding
  // the text read here is not what it runs (an escape sequence can split "onload"), so only UTF-8 passes.
  const declared = DECLARED_ENCODING.exec(text)?.[1];
  if (declared !== undefined && !/^(utf-?8|us-ascii)$/i.test(declared)) return `text in the ${declared} encoding, which could hide script from this check`;
  // NUL is never part of XML: UTF-16 read as UTF-8 is full of them.
  if (/[\uFFFD\x1b\0]/.test(text)) return 'bytes that are not UTF-8 text, which could hide script from this check';
  if (SVG_HANDLER.test(text)) return 'an event-handler attribute (onload=, onclick=…)';
  const plain = normaliseSvg(text);
  return SVG_ACTIVE.find(([pattern]) => pattern.test(plain))?.[1] ?? null;
}

/** Screens one file by its name, and an SVG by its contents (`read` gives them). */
export async function screenAsset(file: string, read: () => Promise<string>): Promise<Screened | null> {
  const ext = path.posix.extname(file).slice(1).toLowerCase();
  if (PASSIVE.has(ext)) return null;
  if (ext === 'svg') {
    const what = activeSvgContent(await read());
    return what ? { severity: 'error', reason: `the SVG holds ${what}, which would run as the site when the image is opened` } : null;
  }
  if (ACTIVE.has(ext)) return { severity: 'error', reason: `a .${ext} file would run as the site when opened` };
  return { severity: 'warning', reason: `a file of an unknown type${ext ? ` (.${ext})` : ''} is not published from here` };
}

/** Screens the files beside posts and pages (Markdown aside): those that may not be published, by site-relative path. */
export async function screenAssets(root: string, assets: Iterable<string>): Promise<Map<string, Screened>> {
  const files = [...assets].filter((a) => !/\.(md|markdown)$/i.test(a)).sort();
  const screened = await Promise.all(
    files.map((asset) =>
      // A file that cannot be read is left to the copy, which reports it if the file is published at all.
      screenAsset(asset, () => fs.readFile(path.join(root, asset), 'utf8')).catch(() => null),
    ),
  );
  // In path order, so that equal inputs give an equal map (it is part of a build's inputs key).
  return new Map(files.flatMap((asset, i) => (screened[i] ? [[asset, screened[i]] as const] : [])));
}

/** The message for a file the plan would publish but may not be. */
export function refusedMessage(file: string, screened: Screened): Message {
  const hint = 'Files that run in the browser belong in static/, which only the site\'s owners fill; an image can be exported again as PNG, or as an SVG without script.';
  return screened.severity === 'error'
    ? error(file, `refusing to publish ${file}: ${screened.reason}`, 'content/active-file', {}, hint)
    : warning(file, `${file} is left out of the site: ${screened.reason}`, 'content/unknown-file', {}, 'Only images, audio, video, documents, archives and fonts are published from posts/ and pages/; put other files in static/.');
}
