/**
 * Names as search compares them: one folding for every name Parley finds by
 * prefix (people's display names, public rooms' names), so a query matches
 * the same way whatever it looks for.
 */

const MARKS = /\p{M}/gu;

/**
 * The form a name is compared in: compatibility-normalised (NFKC: full-width
 * and styled letters become plain ones, ligatures split), lower-cased without
 * a locale, without diacritics (NFD, then combining marks dropped: `é`
 * matches `e`), whitespace runs collapsed to one space and trimmed.
 *
 * @example foldName('  Ｅｌｅ́na  Ｒuiz') === 'elena ruiz'
 */
export function foldName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(MARKS, '')
    .normalize('NFKC')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The first character of a folded name (a whole code point, never half a surrogate pair): its index partition. */
export const nameInitial = (folded: string): string => [...folded][0] ?? '';
