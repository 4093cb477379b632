import unhomoglyph from 'unhomoglyph';

/**
 * Text normalisation before any matching, so that a rule scores the same however its words are
 * written: compatibility forms (NFKC: "ﬁ", full-width letters), invisible characters (zero-width
 * spaces and joiners, bidi controls, soft hyphens, NUL, variation selectors), look-alike letters
 * (Unicode TR39 confusable skeleton, from the `unhomoglyph` package's copy of confusables.txt),
 * case and diacritics.
 */

/**
 * Format (Cf: zero-width, bidi controls, soft hyphen) and control (Cc, NUL included) characters,
 * Hangul fillers and variation selectors; the combining grapheme joiner (U+034F) separately, as it
 * is a combining mark.
 */
const INVISIBLE = /[\p{Cf}\p{Cc}\u3164\uffa0\u180e]|\p{Variation_Selector}|\u034f|\u115f|\u1160/gu;
const INVISIBLE_ONE = /[\p{Cf}\p{Cc}\u3164\uffa0\u180e]|\p{Variation_Selector}|\u034f|\u115f|\u1160/u;

/** The comparison key: equal keys mean "reads the same to a person". */
export function matchKey(text: string): string {
  const visible = text.normalize('NFKC').replace(INVISIBLE, '');
  const folded = visible.toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ');
  // Skeleton on lower case: TR39 maps capital I to l, which would split "Invoice" from "invoice".
  const skeleton = unhomoglyph(folded.normalize('NFD')).normalize('NFD');
  return skeleton
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

/** Zero-width, bidi-control or other invisible characters: no person types these into a rule. */
export function hasInvisibleCharacters(text: string): boolean {
  // Tabs and line breaks are whitespace a pasted keyword may carry, not an evasion.
  return INVISIBLE_ONE.test(text.replace(/[\t\n\r]/g, ''));
}

const LOOKALIKE_SCRIPTS = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u;
const LATIN = /\p{Script=Latin}/u;

/**
 * A word that mixes Latin with Cyrillic/Greek letters ("Іnvoice"), or a non-Latin word whose
 * skeleton is plain Latin ("раураl"): both are look-alike spellings meant to dodge filters.
 */
export function hasLookalikeLetters(text: string): boolean {
  const words = text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .split(/[^\p{L}\p{M}]+/u);
  return words.some((word) => {
    if (!LOOKALIKE_SCRIPTS.test(word)) return false;
    if (LATIN.test(word)) return true;
    return word.length >= 3 && /^[a-z]+$/.test(matchKey(word));
  });
}
