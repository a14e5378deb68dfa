import { parse, type DefaultTreeAdapterTypes } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

/** What a reference loads: an image (`<img>`, `<picture>` sources) or anything else. */
export type RefKind = 'link' | 'image';

/** One URL a page refers to, with where its attribute stands in the page. */
export interface Ref {
  url: string;
  kind: RefKind;
  line?: number;
  column?: number;
}

/** The references a page makes and the fragment targets it offers. */
export interface PageLinks {
  refs: Ref[];
  /** Every `id`, and every `<a name>`: what `#fragment` may point at. */
  ids: Set<string>;
}

const HTML = 'http://www.w3.org/1999/xhtml';
const SVG = 'http://www.w3.org/2000/svg';

/** Attributes holding one URL, by element, in HTML. */
const URL_ATTRIBUTES: Record<string, Record<string, RefKind>> = {
  a: { href: 'link' },
  area: { href: 'link' },
  link: { href: 'link' },
  img: { src: 'image' },
  script: { src: 'link' },
  iframe: { src: 'link' },
  embed: { src: 'link' },
  audio: { src: 'link' },
  video: { src: 'link', poster: 'image' },
  source: { src: 'link' },
  track: { src: 'link' },
};

/** Attributes holding one URL, by element, in inline SVG. */
const SVG_URL_ATTRIBUTES: Record<string, Record<string, RefKind>> = {
  a: { href: 'link' },
  use: { href: 'link' },
  image: { href: 'image' },
};

/**
 * The candidate URLs of a `srcset` value, following the HTML parsing algorithm: a URL runs to the
 * next whitespace (a trailing comma ends it), and descriptors run to the next comma outside parentheses.
 */
export function srcsetUrls(value: string): string[] {
  const urls: string[] = [];
  let i = 0;
  const isSpace = (c: string | undefined) => c !== undefined && /[\t\n\f\r ]/.test(c);
  while (i < value.length) {
    while (i < value.length && (isSpace(value[i]) || value[i] === ',')) i++;
    const start = i;
    while (i < value.length && !isSpace(value[i])) i++;
    let url = value.slice(start, i);
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      for (let depth = 0; i < value.length; i++) {
        const c = value[i];
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
      }
    }
    if (url) urls.push(url);
  }
  return urls;
}

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name && !a.prefix)?.value ?? el.attrs.find((a) => a.name === name)?.value;
}

function place(el: Element, name: string): { line?: number; column?: number } {
  const at = el.sourceCodeLocation?.attrs?.[name];
  return at ? { line: at.startLine, column: at.startCol } : {};
}

/** The references of one element: URL attributes, `srcset` candidates and GET form actions. */
function elementRefs(el: Element): Ref[] {
  const refs: Ref[] = [];
  const table = el.namespaceURI === HTML ? URL_ATTRIBUTES : el.namespaceURI === SVG ? SVG_URL_ATTRIBUTES : {};
  for (const [name, kind] of Object.entries(table[el.tagName] ?? {})) {
    const value = attr(el, name);
    if (value !== undefined) refs.push({ url: value.trim(), kind, ...place(el, name) });
  }
  if (el.namespaceURI !== HTML) return refs;
  // An <input type=image> is a submit button drawn from an image.
  if (el.tagName === 'input' && attr(el, 'type')?.toLowerCase() === 'image') {
    const src = attr(el, 'src');
    if (src !== undefined) refs.push({ url: src.trim(), kind: 'image', ...place(el, 'src') });
  }
  if (el.tagName === 'img' || el.tagName === 'source') {
    const srcset = attr(el, 'srcset');
    // A <source> outside <picture> (in <video>, <audio>) takes src, not srcset.
    const kind: RefKind = el.tagName === 'img' || el.parentNode?.nodeName === 'picture' ? 'image' : 'link';
    if (srcset !== undefined) refs.push(...srcsetUrls(srcset).map((url) => ({ url, kind, ...place(el, 'srcset') })));
  }
  // A POST form needs a server; a GET form is just a link with a query string.
  if (el.tagName === 'form' && (attr(el, 'method') ?? 'get').toLowerCase() === 'get') {
    const action = attr(el, 'action');
    if (action !== undefined) refs.push({ url: action.trim(), kind: 'link', ...place(el, 'action') });
  }
  return refs;
}

/** Parses a page with a real HTML parser and lists what it refers to and which fragments it has. */
export function pageLinks(html: string): PageLinks {
  // Without scripting, <noscript> content is parsed as elements, so its links are checked too.
  const document = parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: false });
  const refs: Ref[] = [];
  const ids = new Set<string>();
  const walk = (parent: ParentNode) => {
    for (const node of parent.childNodes) {
      if (!('tagName' in node)) continue;
      const id = attr(node, 'id');
      if (id) ids.add(id);
      const name = node.tagName === 'a' && node.namespaceURI === HTML ? attr(node, 'name') : undefined;
      if (name) ids.add(name);
      refs.push(...elementRefs(node));
      // A <template>'s content stays inert (parse5 keeps it apart): scripts fill in its URLs.
      walk(node);
    }
  };
  walk(document);
  return { refs, ids };
}
