import type { SiteConfig } from './types.js';

/** Defaults for every config key a site may leave out. */
export const DEFAULTS: Omit<SiteConfig, 'root' | 'outDir' | 'configFile'> = {
  title: 'My blog',
  description: '',
  baseUrl: 'http://localhost:8080',
  basePath: '/',
  language: 'en',
  timeZone: 'UTC',
  dateFormat: 'D MMMM YYYY',
  copyright: { holder: '', since: null },
  nav: [],
  footerLinks: [],
  postsPerPage: 10,
  permalink: '/posts/:slug/',
  markdown: { html: 'sanitize' },
  drafts: false,
  future: false,
  remarkPlugins: [],
  rehypePlugins: [],
  helpers: {},
  params: {},
  // Far above any real post; a post past them is refused alone, with an error naming it.
  limits: { frontMatterBytes: 256 * 1024, nesting: 100, parseSeconds: 30 },
};

/** Config file names, looked up in this order. */
export const CONFIG_FILES = ['gi-build.config.json', 'gi-build.config.mjs', 'gi-build.config.js'];

/** The output folder when neither flag nor config names one. */
export const DEFAULT_OUT = 'dist';
