import slugifyLatin from '@sindresorhus/slugify';

/**
 * Turns a name into a URL segment: transliterated to ASCII where a transliteration exists
 * (`Schäfer` → `schaefer`, `Мир` → `mir`), otherwise kept as Unicode letters (`日本語`). Never
 * contains `/`, `.` runs or other path syntax. Returns '' when nothing usable is left.
 */
export function slugify(name: string): string {
  const latin = slugifyLatin(name, { decamelize: false });
  if (latin) return latin;
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}[-_]/;

/** The slug a source file name gives: extension and `YYYY-MM-DD-` prefix removed. */
export function slugFromFileName(name: string): string {
  return slugify(name.replace(/\.(md|markdown)$/i, '').replace(DATE_PREFIX, ''));
}
