// What the directions panel reads from its fields: word pairs typed as
// "he:she, man:woman", a pasted word list, and the presets it offers (the
// gender pairs the README's worked example uses, and an occupations list as
// in Bolukbasi et al. 2016).
import { t } from '../i18n/strings.js';

/** The six pairs of the README's `direction` example (consistency 0.689 in the raw space). */
export const GENDER_PAIRS = 'he:she, man:woman, his:her, boy:girl, father:mother, king:queen';

export const OCCUPATIONS = [
  'homemaker', 'nurse', 'receptionist', 'librarian', 'hairdresser', 'nanny', 'secretary', 'dancer', 'teacher', 'stylist',
  'doctor', 'surgeon', 'scientist', 'lawyer', 'manager', 'banker', 'pilot', 'programmer', 'carpenter', 'mechanic',
  'plumber', 'engineer', 'architect', 'captain', 'soldier', 'farmer',
].join(' ');

/** At most this many characters of pairs or list are sent: a pasted book is not a word list. */
export const MAX_FIELD_CHARS = 8000;

/**
 * Word pairs from "he:she, man:woman" (commas, semicolons, spaces or new
 * lines between pairs). Throws an Error naming the first malformed pair.
 * @param {string} text
 * @returns {[string, string][]}
 */
export function parsePairText(text) {
  if (text.length > MAX_FIELD_CHARS) throw new Error(t.pairsTooLong(text.length, MAX_FIELD_CHARS));
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  if (tokens.length === 0) throw new Error(t.typePairs);
  return tokens.map((token) => {
    const parts = token.split(':');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new Error(t.notAPair(token));
    }
    return /** @type {[string, string]} */ (parts);
  });
}

/**
 * The words of a pasted list (spaces, commas, semicolons or new lines between them).
 * @param {string} text
 */
export function parseWordList(text) {
  if (text.length > MAX_FIELD_CHARS) throw new Error(t.wordListTooLong(text.length, MAX_FIELD_CHARS));
  const words = text.split(/[\s,;]+/).filter(Boolean);
  if (words.length === 0) throw new Error(t.pasteWordsToRank);
  return words;
}
