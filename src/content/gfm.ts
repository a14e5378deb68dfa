import type { Nodes as MdastNodes, Root as MdastRoot } from 'mdast';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { fromMarkdown, type Extension as MdastExtension } from 'mdast-util-from-markdown';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { combineExtensions } from 'micromark-util-combine-extensions';
import type { Construct, Extension, TokenizeContext } from 'micromark-util-types';
import type { Processor } from 'unified';

/*
 * GitHub Flavored Markdown, as remark-gfm adds it, with one difference: each document is parsed with
 * only the GFM constructs it could contain. The constructs are costly even where they match nothing
 * (the email autolink is tried at every letter and digit, the table at the start of every line),
 * and together they doubled the time to parse a typical post. Each test below is a character a
 * construct cannot do without, so leaving a construct out never changes the tree; a test compares
 * the result with remark-gfm's over generated documents.
 */

const EMAIL = 1 << 0;
const WWW = 1 << 1;
const PROTOCOL = 1 << 2;
/** mdast-util-gfm-autolink-literal's tree transform, which finds literals in decoded text. */
const LITERAL_TEXT = 1 << 3;
const FOOTNOTE = 1 << 4;
const STRIKETHROUGH = 1 << 5;
const TABLE = 1 << 6;
const TASK_LIST = 1 << 7;

/** Which GFM constructs a Markdown document could contain, as a set of bits. */
export function gfmNeeds(markdown: string): number {
  let needs = 0;
  if (markdown.includes('@')) needs |= EMAIL;
  if (/www\./i.test(markdown)) needs |= WWW;
  if (/https?:/i.test(markdown)) needs |= PROTOCOL;
  // Text nodes hold decoded text, where `&#64;` is `@` and `www\.` is `www.`.
  if (/[@&]|www|http/i.test(markdown)) needs |= LITERAL_TEXT;
  if (markdown.includes('[^')) needs |= FOOTNOTE;
  if (markdown.includes('~')) needs |= STRIKETHROUGH;
  // A one-column table needs no pipe: `a` over `-:` is a table.
  if (/\||:-|-:/.test(markdown)) needs |= TABLE;
  if (/\[[\sxX]/.test(markdown)) needs |= TASK_LIST;
  return needs;
}

/** Which bit each autolink literal construct needs; a construct not named here is always kept. */
const LITERAL_CONSTRUCTS: Record<string, number> = { emailAutolink: EMAIL, wwwAutolink: WWW, protocolAutolink: PROTOCOL };

/** The autolink literal extension with only the constructs `needs` names. */
function autolinkLiterals(needs: number): Extension {
  const extension = gfmAutolinkLiteral();
  const text: NonNullable<Extension['text']> = {};
  for (const [code, constructs] of Object.entries(extension.text ?? {})) {
    const kept = ([] as Construct[]).concat(constructs ?? []).filter((c) => {
      const bit = c.name === undefined ? undefined : LITERAL_CONSTRUCTS[c.name];
      return bit === undefined || (needs & bit) !== 0;
    });
    if (kept.length > 0) text[Number(code)] = kept;
  }
  return { ...extension, text };
}

/**
 * Which lines (numbered from 1) could hold a table's head row: those followed by a line that could
 * be its delimiter row. A delimiter row has only `|`, `:`, `-`, spaces and tabs, and a `-` in every
 * cell; before it come the blockquote markers and indents of the containers it is in.
 */
function headRowLines(markdown: string): Uint8Array {
  const lines = markdown.split(/\r\n|\r|\n/);
  const heads = new Uint8Array(lines.length + 1);
  for (let i = 1; i < lines.length; i++) if (DELIMITER_ROW_RE.test(lines[i] as string)) heads[i] = 1;
  return heads;
}

const DELIMITER_ROW_RE = /^[ \t>]*[ \t|:-]*-[ \t|:-]*$/;

/** Whether the tokenizer is right after a table's head or row, where the table construct goes on. */
function afterTableRow(context: TokenizeContext): boolean {
  const { events } = context;
  let index = events.length - 1;
  while (index > -1 && (events[index]![1].type === 'lineEnding' || events[index]![1].type === 'linePrefix')) index--;
  const tail = index > -1 ? events[index]![1].type : null;
  return tail === 'tableHead' || tail === 'tableRow';
}

/**
 * The table extension, tried only where a table could start or go on. micromark tries a flow
 * construct at every line, paragraph lines included, and the table's tokenizer reads the whole
 * line as a head row before the next line tells it there is no table: on a typical post that was a
 * third of the parse. A line that is not followed by a possible delimiter row, and that comes
 * after no table row, is turned down at once, as the table's tokenizer would turn it down later.
 */
function tablesWhereDelimited(heads: () => Uint8Array | undefined): Extension {
  const table = gfmTable().flow?.null as Construct;
  const construct: Construct = {
    ...table,
    tokenize(effects, ok, nok) {
      const context = this;
      return (code) => {
        const lines = heads();
        const go = lines === undefined || lines[context.now().line] === 1 || afterTableRow(context);
        return go ? table.tokenize.call(context, effects, ok, nok)(code) : nok(code);
      };
    },
  };
  return { flow: { null: construct } };
}

/** micromark's GFM extensions for a set of needs, combined in the order micromark-extension-gfm uses. */
function micromarkGfm(needs: number, heads: () => Uint8Array | undefined): Extension {
  const parts: Extension[] = [];
  if (needs & (EMAIL | WWW | PROTOCOL)) parts.push(autolinkLiterals(needs));
  if (needs & FOOTNOTE) parts.push(gfmFootnote());
  if (needs & STRIKETHROUGH) parts.push(gfmStrikethrough());
  if (needs & TABLE) parts.push(tablesWhereDelimited(heads));
  if (needs & TASK_LIST) parts.push(gfmTaskListItem());
  return combineExtensions(parts);
}

/**
 * Whether some text in a tree could hold an autolink literal. The literals' tree transform walks
 * every text node with two regular expressions; most posts have `http` only in link destinations.
 */
function hasLiteralText(node: MdastNodes): boolean {
  if (node.type === 'text') return LITERAL_RE.test(node.value);
  return 'children' in node && node.children.some(hasLiteralText);
}

const LITERAL_RE = /@|www\.|https?:\/\//i;

/** mdast-util-gfm's extensions; only the literal autolinks' tree transform depends on the text. */
function mdastGfm(needs: number): MdastExtension[] {
  const literals = gfmAutolinkLiteralFromMarkdown();
  const transforms = (literals.transforms ?? []).map((transform) => (tree: MdastRoot) => (hasLiteralText(tree) ? transform(tree) : undefined));
  return [
    needs & LITERAL_TEXT ? { ...literals, transforms } : { ...literals, transforms: [] },
    gfmFootnoteFromMarkdown(),
    gfmStrikethroughFromMarkdown(),
    gfmTableFromMarkdown(),
    gfmTaskListItemFromMarkdown(),
  ];
}

/**
 * A unified plugin, used right after remark-parse in place of remark-gfm: it parses each
 * document as remark-parse would with remark-gfm, and with the extensions other plugins add after it.
 */
export function remarkGfmAsNeeded(this: Processor) {
  const self = this;
  // As remark-gfm does, for a plugin that writes Markdown back (remark-stringify).
  const data = self.data() as { toMarkdownExtensions?: unknown[] };
  (data.toMarkdownExtensions ??= []).push(gfmToMarkdown());
  const extensions = new Map<number, { micromark: Extension; mdast: MdastExtension[] }>();
  // The head row lines of the document being parsed, for the table construct (parsing is synchronous).
  let heads: Uint8Array | undefined;
  self.parser = (doc: string): MdastRoot => {
    const needs = gfmNeeds(doc);
    let gfm = extensions.get(needs);
    if (!gfm) {
      gfm = { micromark: micromarkGfm(needs, () => heads), mdast: mdastGfm(needs) };
      extensions.set(needs, gfm);
    }
    heads = needs & TABLE ? headRowLines(doc) : undefined;
    try {
      return fromMarkdown(doc, {
        ...self.data('settings'),
        extensions: [gfm.micromark, ...(self.data('micromarkExtensions') ?? [])],
        mdastExtensions: [gfm.mdast, ...(self.data('fromMarkdownExtensions') ?? [])],
      });
    } finally {
      heads = undefined;
    }
  };
}
