import { LineCounter, parseDocument, isMap, isScalar, visit, type Node } from 'yaml';
import { DEFAULTS } from '../config/defaults.js';
import { error, type Message, type Place } from '../util/messages.js';

/** Front matter as parsed: the data, where each top-level key sits, and the body after it. */
export interface FrontMatter {
  data: Record<string, unknown>;
  /** Line and column of each top-level key in the file. */
  places: Record<string, Place>;
  body: string;
  /** Line in the file where the body starts (1-based). */
  bodyLine: number;
}

const FENCE = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

/**
 * Splits YAML front matter from the body and parses it with a YAML 1.2 parser that never runs
 * code. Errors are positioned in the user's file.
 */
export function parseFrontMatter(file: string, text: string, options: { maxBytes?: number } = {}): { value: FrontMatter } | { messages: Message[] } {
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  if (!FENCE.test(first)) {
    const lang = /^---\s*(\S+)\s*$/.exec(first);
    if (lang) {
      return {
        messages: [
          error(file, `front matter in "${lang[1]}" is not supported: gi-build reads only YAML front matter and never runs code from a post`, 'frontmatter/language', { line: 1, column: 4 }, 'Start the file with a line of three dashes (---) and write the front matter as YAML.'),
        ],
      };
    }
    return { messages: [error(file, 'the file has no front matter', 'frontmatter/missing', { line: 1, column: 1 }, 'Start the file with a block such as:\n---\ntitle: My post\ndate: 2024-03-01\n---')] };
  }
  const end = lines.findIndex((l, i) => i > 0 && CLOSE.test(l));
  if (end < 0) {
    return { messages: [error(file, 'the front matter is never closed', 'frontmatter/unclosed', { line: 1, column: 1 }, 'End it with a line of three dashes (---).')] };
  }
  const yamlText = lines.slice(1, end).join('\n');
  const maxBytes = options.maxBytes ?? DEFAULTS.limits.frontMatterBytes;
  const bytes = Buffer.byteLength(yamlText);
  if (bytes > maxBytes) {
    return {
      messages: [
        error(file, `the front matter is ${formatBytes(bytes)}, more than the limit of ${formatBytes(maxBytes)}`, 'frontmatter/too-large', { line: 1, column: 1 }, 'Keep long text in the body of the post; if the front matter really needs to be this large, raise "limits": { "frontMatterBytes": … } in the config.'),
      ],
    };
  }
  const counter = new LineCounter();
  // Duplicate keys are found below, in one pass: the parser's own check compares each key with every other.
  const doc = parseDocument(yamlText, { lineCounter: counter, schema: 'core', merge: false, prettyErrors: false, uniqueKeys: false });
  const toPlace = (offset: number): Place => {
    const pos = counter.linePos(offset);
    return { line: pos.line + 1, column: pos.col };
  };
  const duplicate = doc.errors.length === 0 ? firstDuplicateKey(doc) : null;
  if (duplicate) {
    return { messages: [error(file, `invalid YAML in the front matter: map keys must be unique; "${duplicate.key}" is repeated`, 'frontmatter/yaml', toPlace(duplicate.offset), yamlHint('DUPLICATE_KEY'))] };
  }
  if (doc.errors.length > 0) {
    return {
      messages: doc.errors.map((e) =>
        error(file, `invalid YAML in the front matter: ${e.message.split('\n')[0]}`, 'frontmatter/yaml', toPlace(e.pos[0]), yamlHint(e.code)),
      ),
    };
  }
  const contents = doc.contents as Node | null;
  if (contents !== null && !isMap(contents)) {
    return { messages: [error(file, 'the front matter must be a list of "key: value" lines', 'frontmatter/shape', { line: 2, column: 1 })] };
  }
  const places: Record<string, Place> = {};
  if (contents && isMap(contents)) {
    for (const item of contents.items) {
      if (isScalar(item.key) && item.key.range) places[String(item.key.value)] = toPlace(item.key.range[0]);
    }
  }
  // Numbers keep the form they were written in: a title "2.10", an author "007", a tag "1.0".
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'number' && typeof node.source === 'string') node.value = node.source;
    },
  });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 }) ?? {};
  } catch (err) {
    return { messages: [error(file, `invalid YAML in the front matter: ${(err as Error).message}`, 'frontmatter/yaml', { line: 2, column: 1 })] };
  }
  return {
    value: { data: data as Record<string, unknown>, places, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 },
  };
}

/** The first key that a map of the document repeats, with where it is repeated. */
function firstDuplicateKey(doc: ReturnType<typeof parseDocument>): { key: string; offset: number } | null {
  let found: { key: string; offset: number } | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const item of map.items) {
        const key = isScalar(item.key) ? item.key.value : item.key;
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        found = { key: String(key), offset: (item.key as Node | null)?.range?.[0] ?? 0 };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** A size in bytes as people read it: "256 KB", "5.5 MB". */
function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function yamlHint(code: string): string | undefined {
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    return 'A value that contains a colon must be quoted: title: "Care: a new start".';
  }
  if (code === 'DUPLICATE_KEY') return 'Each key may appear only once.';
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') return 'Check the indentation and quotes on this line and the one before.';
  return undefined;
}
