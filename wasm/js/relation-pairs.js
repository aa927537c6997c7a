// The word pairs of one relation, read from an analogy file in the
// questions-words format (": section" headers, then "a b c d" lines): each
// line gives two pairs of the relation, (a, b) and (c, d). The offset
// consistency view asks how parallel those pairs' offsets are.
import { ErrorCode, ExplorerError } from './errors.js';

/**
 * @param {string} text the file's text
 * @returns {Map<string, [string, string][]>} section name -> its distinct pairs, in file order
 */
export function relationPairsBySection(text) {
  /** @type {Map<string, [string, string][]>} */
  const sections = new Map();
  /** @type {[string, string][] | null} */
  let current = null;
  /** @type {Set<string>} */
  let seen = new Set();
  for (const raw of String(text).split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith(':')) {
      const name = line.slice(1).trim();
      current = sections.get(name) ?? [];
      sections.set(name, current);
      seen = new Set(current.map((p) => p.join(' ')));
      continue;
    }
    const words = line.toLowerCase().split(/\s+/);
    if (words.length !== 4 || !current) continue;
    for (const pair of /** @type {[string, string][]} */ ([[words[0], words[1]], [words[2], words[3]]])) {
      const key = pair.join(' ');
      if (pair[0] === pair[1] || seen.has(key)) continue;
      seen.add(key);
      current.push(pair);
    }
  }
  return sections;
}

/**
 * The pairs of `section`, which may be given by a unique part of its name
 * ("gender" finds ": gender", "plural" finds ": plural-nouns").
 * @param {string} text
 * @param {string} section
 * @returns {{ name: string, pairs: [string, string][] }}
 */
export function relationPairs(text, section) {
  const sections = relationPairsBySection(text);
  const wanted = String(section).trim().toLowerCase();
  if (sections.has(wanted)) return { name: wanted, pairs: /** @type {[string, string][]} */ (sections.get(wanted)) };
  const matches = [...sections.keys()].filter((name) => name.toLowerCase().includes(wanted));
  if (matches.length === 1) return { name: matches[0], pairs: /** @type {[string, string][]} */ (sections.get(matches[0])) };
  const names = [...sections.keys()].join(', ');
  throw new ExplorerError(
    matches.length
      ? `section "${section}" matches ${matches.join(', ')}: name one of them`
      : `no section "${section}" in the analogy file (its sections: ${names || 'none'})`,
    { code: ErrorCode.BAD_ARGUMENT },
  );
}
