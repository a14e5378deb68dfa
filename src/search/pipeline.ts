/* eslint-disable @typescript-eslint/no-explicit-any */
/** The pipeline functions of a site's search. */
export interface SearchPipeline {
  /** Run on every token at build time: trim, stop words, fold, stem. */
  index: any[];
  /** Run on every query term: fold, stem. */
  search: any[];
  fold: any;
  stop: any;
}

/**
 * The search's text normalisation, as lunr pipeline functions. This one function runs at build
 * time in Node and, as its own source text, in the browser (see `pipelineScript`), so both sides
 * register exactly the same functions before `lunr.Index.load`. It must stay self-contained: no
 * imports, no references to anything outside its body.
 */
export function registerPipeline(lunr: any, language: string): SearchPipeline {
  const lang = String(language || 'en').toLowerCase().split('-')[0] || 'en';
  const extra: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
  const registered = lunr.Pipeline.registeredFunctions;

  /** Strips punctuation from both ends of a token, keeping letters and digits of every script. */
  const trimmer = (token: any) => {
    const s = token.toString().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    return s ? token.update(() => s) : undefined;
  };
  /** Folds accents, so "cafe" finds "café" and "cliched" finds "Clichéd". */
  const fold = (token: any) =>
    token.update((s: string) =>
      s
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .replace(/[ßæœøłđðþı]/g, (c: string) => extra[c] || c),
    );
  if (!registered['gi-trimmer']) lunr.Pipeline.registerFunction(trimmer, 'gi-trimmer');
  if (!registered['gi-fold']) lunr.Pipeline.registerFunction(fold, 'gi-fold');

  const own = lang !== 'en' && lunr[lang] && lunr[lang].stemmer ? lunr[lang] : null;
  const stop = lang === 'en' ? lunr.stopWordFilter : own ? own.stopWordFilter : null;
  const stem = lang === 'en' ? lunr.stemmer : own ? own.stemmer : null;
  const index = [registered['gi-trimmer'], stop, registered['gi-fold'], stem].filter(Boolean);
  const search = [registered['gi-fold'], stem].filter(Boolean);
  return { index, search, fold: registered['gi-fold'], stop };
}

/** Languages whose stemmer and stop words come from lunr-languages (English is lunr's own). */
export const STEMMED_LANGUAGES = ['da', 'de', 'du', 'es', 'fi', 'fr', 'hu', 'it', 'nl', 'no', 'pt', 'ro', 'ru', 'sv', 'tr'];

/** The primary subtag of a language tag, if lunr-languages has a stemmer for it. */
export function lunrLanguage(language: string): string | null {
  const lang = language.toLowerCase().split('-')[0]!;
  return STEMMED_LANGUAGES.includes(lang) ? lang : null;
}
