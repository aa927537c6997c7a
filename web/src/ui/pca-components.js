// Which principal components a PCA view lays out on: `pcs` in the URL,
// 1-based as the picker names them ("1,5,8": PC1 on x, PC5 on y, PC8 on z).
// A 2D view uses the first two.
import { t } from '../i18n/strings.js';

/** How many components the picker offers, PC1..PC10 (the core lists as many). */
export const LISTED_COMPONENTS = 10;
export const DEFAULT_PCS = '1,2,3';

/** Projections that lay out on principal components (and so take `pcs`). */
export const PCA_PROJECTIONS = Object.freeze(new Set(['pca', 'pca-table']));

/**
 * A valid pcs value from a loose one: "1, 5,8" -> "1,5,8". Anything else
 * (not three numbers, one outside 1..10, one used twice) gives the default
 * and a note that says what was wrong.
 */
export function normalizePcs(value, notes = []) {
  if (value === undefined || value === null || String(value).trim() === '') return DEFAULT_PCS;
  const parts = String(value).split(',').map((s) => s.trim());
  const numbers = parts.map(Number);
  let problem = null;
  if (parts.length !== 3) problem = t.pcsNeedThree;
  else if (!parts.every((s) => /^\d+$/.test(s)) || numbers.some((n) => n < 1 || n > LISTED_COMPONENTS)) problem = t.pcsWholeNumbers(LISTED_COMPONENTS);
  else if (new Set(numbers).size !== 3) problem = t.pcsDifferent;
  if (problem) {
    notes.push(t.pcsCorrected(value, problem));
    return DEFAULT_PCS;
  }
  return numbers.join(',');
}

/** "1,5,8" -> [0, 4, 7], as the core takes them. */
export function componentIndices(pcs) {
  return normalizePcs(pcs).split(',').map((s) => Number(s) - 1);
}
