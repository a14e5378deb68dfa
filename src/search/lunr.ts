import fs from 'node:fs';
import { createRequire } from 'node:module';
import lunr from 'lunr';
import { lunrLanguage, registerPipeline } from './pipeline.js';

const require = createRequire(import.meta.url);

/** Files of the lunr and lunr-languages packages, for copying into the site's assets. */
export const LUNR_FILES = {
  lunr: require.resolve('lunr/lunr.min.js'),
  stemmerSupport: require.resolve('lunr-languages/lunr.stemmer.support.js'),
  language: (lang: string) => require.resolve(`lunr-languages/lunr.${lang}.js`),
};

/** The lunr version that builds the index; the browser gets the same file. */
export const LUNR_VERSION: string = (JSON.parse(fs.readFileSync(require.resolve('lunr/package.json'), 'utf8')) as { version: string }).version;

const loaded = new Set<string>();

/** lunr with the site language's stemmer loaded and our pipeline functions registered. */
export function lunrFor(language: string): { lunr: typeof lunr; pipeline: ReturnType<typeof registerPipeline> } {
  const lang = lunrLanguage(language);
  if (lang && !loaded.has(lang)) {
    if (!loaded.has('support')) {
      (require('lunr-languages/lunr.stemmer.support.js') as (l: typeof lunr) => void)(lunr);
      loaded.add('support');
    }
    (require(`lunr-languages/lunr.${lang}.js`) as (l: typeof lunr) => void)(lunr);
    loaded.add(lang);
  }
  return { lunr, pipeline: registerPipeline(lunr, language) };
}

/**
 * The browser's half of the normalisation: lunr-languages' files for the site language, then our
 * pipeline function's own source, run against the page's `lunr`.
 */
export function pipelineScript(language: string): string {
  const lang = lunrLanguage(language);
  const parts = lang ? [fs.readFileSync(LUNR_FILES.stemmerSupport, 'utf8'), fs.readFileSync(LUNR_FILES.language(lang), 'utf8')] : [];
  parts.push(`window.giSearchPipeline = (${registerPipeline.toString()})(window.lunr, ${JSON.stringify(language)});`);
  return parts.join('\n;\n');
}
