import fs from 'node:fs/promises';
import path from 'node:path';
import { hash } from '../util/hash.js';
import Handlebars from 'handlebars';
import { listFiles } from '../content/discover.js';
import { CacheReadError, error, type Message } from '../util/messages.js';
import { toPosix } from '../util/paths.js';

/** A template file found in one of the layers. */
interface TemplateFile {
  name: string;
  /** Path as messages show it: relative to the site root, or `(built-in) …`. */
  display: string;
  source: string;
}

/** The compiled templates of a build: layouts, partials and theme assets, site layer first. */
export interface TemplateSet {
  /** Renders a layout; throws a TemplateError naming the template on failure. */
  render(layout: string, context: Record<string, unknown>): string;
  has(layout: string): boolean;
  /** Where a layout was looked for, for "missing layout" messages. */
  searched(layout: string): string[];
  /** Theme assets: output path (`assets/style.css`) → absolute source path. */
  assets: Map<string, string>;
  messages: Message[];
  /** Hash of every layout and partial in use (name, file and text): equal keys render equal pages from equal views. */
  key: string;
}

/** A template failed while rendering a page. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** One place templates are looked up: the site's own `templates/`, or the built-in theme. */
export interface TemplateLayer {
  dir: string;
  /** How files of this layer are named in messages. */
  label: (rel: string) => string;
}

async function readLayer(layer: TemplateLayer, sub: string): Promise<TemplateFile[]> {
  const files = await listFiles(layer.dir, sub);
  return Promise.all(
    files
      .filter((f) => f.endsWith('.hbs'))
      .map(async (f) => ({
        name: f.slice(sub.length + 1, -'.hbs'.length),
        display: layer.label(`${sub}/${f.slice(sub.length + 1)}`),
        source: await fs.readFile(path.join(layer.dir, f), 'utf8'),
      })),
  );
}

function parseLine(err: Error): number | undefined {
  const m = /line (\d+)/.exec(err.message);
  return m ? Number(m[1]) : undefined;
}

/** Loads and compiles the templates of every layer; the first layer that has a name wins. */
export async function loadTemplates(layers: TemplateLayer[], helpers: Record<string, Handlebars.HelperDelegate>): Promise<TemplateSet> {
  const hb = Handlebars.create();
  hb.registerHelper(helpers);
  const messages: Message[] = [];
  const layouts = new Map<string, { file: TemplateFile; run: Handlebars.TemplateDelegate }>();
  const assets = new Map<string, string>();

  const used: string[] = [];
  // How deep partials are nested in the render under way: a partial that includes itself stops at a limit.
  const depth = { now: 0 };
  const compile = (file: TemplateFile): Handlebars.TemplateDelegate | null => {
    used.push(file.name, file.display, file.source);
    try {
      // Parsed now, to report syntax errors with the build's other problems; compiled from that
      // tree when first rendered (from the text, it would be parsed again).
      return hb.compile(hb.parseWithoutProcessing(file.source), { strict: false, preventIndent: true });
    } catch (err) {
      const line = parseLine(err as Error);
      const reason = (err as Error).message.split('\n').filter((l) => !/^-*\^$/.test(l.trim())).join(' ').replace(/\s+/g, ' ');
      messages.push(error(file.display, `template syntax error: ${reason}`, 'template/syntax', line ? { line } : {}));
      return null;
    }
  };

  for (const layer of layers) {
    for (const file of await readLayer(layer, 'layouts')) {
      if (layouts.has(file.name)) continue;
      const run = compile(file);
      if (run) layouts.set(file.name, { file, run });
    }
  }
  const partialNames = new Set<string>();
  for (const layer of layers) {
    for (const file of await readLayer(layer, 'partials')) {
      if (partialNames.has(file.name)) continue;
      partialNames.add(file.name);
      const run = compile(file);
      if (run) hb.registerPartial(file.name, wrapPartial(file, run, depth));
    }
    for (const asset of await listFiles(layer.dir, 'assets')) {
      if (!assets.has(asset)) assets.set(asset, path.join(layer.dir, asset));
    }
  }

  return {
    has: (layout) => layouts.has(layout),
    searched: (layout) => layers.map((l) => l.label(`layouts/${layout}.hbs`)),
    render(layout, context) {
      const entry = layouts.get(layout);
      if (!entry) throw new TemplateError('', `no layout named "${layout}"`);
      try {
        return entry.run(context, { allowProtoPropertiesByDefault: false });
      } catch (err) {
        if (err instanceof TemplateError || err instanceof CacheReadError) throw err;
        throw new TemplateError(entry.file.display, thrownMessage(err), lineOf(err));
      }
    },
    assets,
    messages,
    key: hash(...used),
  };
}

/** Partials nested deeper than this are taken to include themselves without end. */
export const MAX_PARTIAL_DEPTH = 100;

/** What a thrown value says: a helper may throw anything, `null` included. */
function thrownMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return `a helper threw ${err === null || typeof err !== 'object' ? String(err) : 'a value that is not an Error'}`;
}

/** The line a Handlebars error names, if it is an error that names one. */
function lineOf(err: unknown): number | undefined {
  return err instanceof Error ? parseLine(err) : undefined;
}

/**
 * Makes an error inside a partial name the partial's file, not the layout that included it, and
 * stops a partial that includes itself (directly or through others) before it exhausts memory.
 */
function wrapPartial(file: TemplateFile, run: Handlebars.TemplateDelegate, depth: { now: number }): Handlebars.TemplateDelegate {
  return (context, options) => {
    if (depth.now >= MAX_PARTIAL_DEPTH) {
      throw new TemplateError(file.display, `partials are nested more than ${MAX_PARTIAL_DEPTH} deep here: a partial includes itself, directly or through another, without end`);
    }
    depth.now++;
    try {
      return run(context, options);
    } catch (err) {
      if (err instanceof TemplateError || err instanceof CacheReadError) throw err;
      throw new TemplateError(file.display, thrownMessage(err), lineOf(err));
    } finally {
      depth.now--;
    }
  };
}
