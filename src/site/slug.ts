import transliterate from '@sindresorhus/transliterate';

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Turns a name into a URL segment: letters are transliterated to ASCII where a transliteration
 * exists (`Schäfer` → `schaefer`, `Мир` → `mir`) and kept as they are where none does
 * (`Tokyo 東京` → `tokyo-東京`). Never contains `/`, `.` or other path syntax. Returns '' when
 * nothing usable is left.
 */
export function slugify(name: string): string {
  let slug = memo.get(name);
  if (slug === undefined) {
    slug = computeSlug(name);
    // Tag and author names repeat on every post: remember them (a pure function, so nothing can go stale).
    if (memo.size > 50_000) memo.clear();
    memo.set(name, slug);
  }
  return slug;
}

const memo = new Map<string, string>();

function computeSlug(name: string): string {
  const spelled = Array.from(name.normalize('NFKC').replace(/&/g, ' and '), (ch) => {
    if (!LETTER_OR_DIGIT.test(ch)) return ch;
    const latin = transliterate(ch);
    return /[a-z0-9]/i.test(latin) ? latin : ch;
  }).join('');
  return spelled
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}[-_]/;

/** The slug a source file name gives: extension and `YYYY-MM-DD-` prefix removed. */
export function slugFromFileName(name: string): string {
  return slugify(name.replace(/\.(md|markdown)$/i, '').replace(DATE_PREFIX, ''));
}

/** Device names Windows reserves in every folder, whatever follows a dot: `con`, `nul.txt`, `COM1`. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * Whether Windows refuses a file or folder of this name (`aux`, `Con.txt`, `lpt1`), so that a
 * site with it cannot be checked out or built there.
 */
export function isWindowsReserved(name: string): boolean {
  // Windows looks only at what comes before the first dot, without trailing spaces.
  return WINDOWS_RESERVED.test(name.split('.')[0]!.trimEnd());
}
