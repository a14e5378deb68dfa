import type { HelperDelegate } from 'handlebars';
import type { PluggableList } from 'unified';

/** A link in the nav or footer. */
export interface LinkConfig {
  text: string;
  url: string;
}

/** How raw HTML inside Markdown is treated. */
export type HtmlMode = 'sanitize' | 'escape' | 'allow';

/** The resolved, frozen configuration every stage reads. Paths are absolute. */
export interface SiteConfig {
  root: string;
  outDir: string;
  /** The config file that was read, relative to the root, or null. */
  configFile: string | null;
  title: string;
  description: string;
  /** Origin and path of the deployed site without trailing slash, e.g. `https://example.org`. */
  baseUrl: string;
  /** Path the site is served under: `/` or `/blog/` (always starts and ends with `/`). */
  basePath: string;
  language: string;
  timeZone: string;
  dateFormat: string;
  copyright: { holder: string; since: number | null };
  nav: LinkConfig[];
  footerLinks: LinkConfig[];
  postsPerPage: number;
  /** Post permalink pattern with `:slug`, `:year`, `:month`, `:day`. */
  permalink: string;
  markdown: { html: HtmlMode };
  drafts: boolean;
  future: boolean;
  /** Extra unified plugins from a JS config. */
  remarkPlugins: PluggableList;
  rehypePlugins: PluggableList;
  /** Extra Handlebars helpers from a JS config. */
  helpers: Record<string, HelperDelegate>;
  /** Free-form site values for templates (`site.params`). */
  params: Record<string, unknown>;
  /** Bounds on what one source may ask of the build, so that a hostile or broken file fails alone and quickly. */
  limits: Limits;
}

/** Bounds on one source file. */
export interface Limits {
  /** Largest front matter, in bytes. */
  frontMatterBytes: number;
  /** Deepest nesting of lists and block quotes. */
  nesting: number;
  /** Longest time one source may take to parse, in seconds (in a parse worker, which is stopped then). */
  parseSeconds: number;
}

/** Options given on the command line; each overrides the config file. */
export interface CliFlags {
  root?: string;
  out?: string;
  drafts?: boolean;
  future?: boolean;
  basePath?: string;
  baseUrl?: string;
}
