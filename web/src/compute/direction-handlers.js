// The worker's direction requests (issue 9 §1): a direction from word pairs
// with its consistency, words ranked along it, and the page's query before
// and after the direction is projected out of the current space. Each runs
// in the page's current space (the worker enters it before every call) and
// rebuilds the direction from the pairs, so an answer always belongs to the
// space it names even if the page switched spaces in between.
//
// Pasted input is forgiving where a learner expects it to be: a pair or a
// listed word that the table lacks is left out and named in the answer.
// It fails, naming the problem, only when too little is left to work with.
import { ErrorCode, ExplorerError, beforeAfter, direction, displayWord, rankAlong } from '../../../wasm/js/explorer.js';
import { Mode } from './protocol.js';

/** @typedef {import('../../../wasm/js/explorer.js').EmbeddingExplorer} EmbeddingExplorer */
/** @typedef {import('./protocol.js').ShownWord} ShownWord */
/** @typedef {import('./protocol.js').DirectionPairsArgs} DirectionPairsArgs */
/** @typedef {() => import('./files.js').TableExtent | null} PartialExtent */

/** One pair agrees with itself: its "consistency" is always 1 and says nothing, so a direction needs two. */
export const MIN_PAIRS = 2;
/** Longer lists stop being readable as bars (and a pasted list is meant to be short). */
export const MAX_LISTED_WORDS = 500;
/** Words shown at each end of a ranking. */
export const MAX_RANK_COUNT = 50;

/** @param {string} message */
const badArgument = (message) => new ExplorerError(message, { code: ErrorCode.BAD_ARGUMENT });

/** @param {string[]} words */
const quoted = (words) => words.map((w) => `"${w}"`).join(', ');

/**
 * @param {import('../../../wasm/js/explorer.js').ScoredWord[]} results
 * @returns {ShownWord[]}
 */
const shown = (results) => results.map((r) => ({ word: r.word, id: r.id, score: r.score, display: displayWord(r.word) }));

/**
 * Why a word is missing: while the default table streams in, it may simply not have arrived.
 * @param {PartialExtent} partialExtent
 */
function missingReason(partialExtent) {
  const extent = partialExtent();
  return extent
    ? `not in the ${extent.rows.toLocaleString('en')} words that have arrived so far (the table is still loading)`
    : 'not in the table';
}

/**
 * The pairs whose two words the table has, and the pairs left out. Fails,
 * naming the problem, for a malformed pair or fewer than MIN_PAIRS usable ones.
 * @param {EmbeddingExplorer} ex
 * @param {unknown} pairs
 * @param {PartialExtent} partialExtent
 * @returns {{ usable: [string, string][], leftOut: [string, string][], missing: string[] }}
 */
export function usablePairs(ex, pairs, partialExtent) {
  if (!Array.isArray(pairs) || pairs.length === 0) {
    throw new ExplorerError('a direction needs word pairs, e.g. he:she, man:woman', { code: ErrorCode.EMPTY_INPUT });
  }
  pairs.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || pair.some((w) => typeof w !== 'string' || !w.trim())) {
      throw badArgument(`pair ${i + 1} is not two words from:to (got ${JSON.stringify(pair)})`);
    }
    if (pair[0].trim().toLowerCase() === pair[1].trim().toLowerCase()) throw badArgument(`pair ${i + 1} "${pair[0]}:${pair[1]}" has one word twice`);
  });
  /** @type {[string, string][]} */
  const usable = [];
  /** @type {[string, string][]} */
  const leftOut = [];
  const missing = new Set();
  for (const pair of /** @type {[string, string][]} */ (pairs)) {
    const [from, to] = pair.map((w) => w.trim());
    const absent = [from, to].filter((w) => ex.find(w) < 0);
    absent.forEach((w) => missing.add(w));
    (absent.length ? leftOut : usable).push([from, to]);
  }
  if (pairs.length < MIN_PAIRS) {
    throw badArgument(`a direction needs at least ${MIN_PAIRS} word pairs and one was given: one pair agrees with itself, so there is no consistency to measure (add pairs such as man:woman, boy:girl)`);
  }
  if (usable.length < MIN_PAIRS) {
    const gone = missing.size ? ` (${quoted([...missing])} ${missing.size === 1 ? 'is' : 'are'} ${missingReason(partialExtent)})` : '';
    const has = usable.length === 0 ? 'none is usable' : `only ${usable.length === 1 ? 'one is' : `${usable.length} are`} usable`;
    throw new ExplorerError(
      `a direction needs at least ${MIN_PAIRS} word pairs whose words are in the table; ${has}${gone}`,
      { code: missing.size ? ErrorCode.UNKNOWN_WORD : ErrorCode.BAD_ARGUMENT, ...(missing.size ? { word: [...missing][0] } : {}) },
    );
  }
  return { usable, leftOut, missing: [...missing] };
}

/**
 * @param {unknown} method
 * @returns {'mean' | 'pc'}
 */
function checkMethod(method = 'mean') {
  if (method !== 'mean' && method !== 'pc') throw badArgument(`unknown direction method "${method}" (expected mean or pc)`);
  return method;
}

/**
 * The direction of the usable pairs in the current space.
 * @param {EmbeddingExplorer} ex
 * @param {DirectionPairsArgs} args
 * @param {PartialExtent} partialExtent
 */
function build(ex, { pairs, method }, partialExtent) {
  const checked = usablePairs(ex, pairs, partialExtent);
  const built = direction(ex, checked.usable, { method: checkMethod(method) });
  return { ...checked, built };
}

/**
 * @param {unknown} value
 * @param {string} name
 * @param {number} min
 * @param {number} max
 */
function wholeNumber(value, name, min, max) {
  if (!Number.isInteger(value) || /** @type {number} */ (value) < min || /** @type {number} */ (value) > max) {
    throw badArgument(`${name} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}, got ${value}`);
  }
  return /** @type {number} */ (value);
}

/**
 * @param {() => EmbeddingExplorer} requireExplorer
 * @param {PartialExtent} partialExtent how much of the default table has arrived, null once complete
 * @returns {import('./jobs.js').Handler<'direction'>}
 */
export function directionHandler(requireExplorer, partialExtent) {
  return {
    mode: Mode.queued,
    run(args) {
      const { built, leftOut, missing } = build(requireExplorer(), args, partialExtent);
      return {
        space: built.space,
        method: built.method,
        consistency: built.consistency,
        componentShares: Array.from(built.componentShares.subarray(0, 5)),
        pairs: built.pairs,
        leftOut,
        missing,
        missingReason: missing.length ? missingReason(partialExtent) : '',
      };
    },
  };
}

/**
 * Both ends of the direction over the `among` most frequent words, or the
 * whole of a word list from the "to" end to the "from" end.
 * @param {() => EmbeddingExplorer} requireExplorer
 * @param {PartialExtent} partialExtent
 * @returns {import('./jobs.js').Handler<'rankAlong'>}
 */
export function rankAlongHandler(requireExplorer, partialExtent) {
  return {
    mode: Mode.queued,
    run({ pairs, method, count = 10, among = 10000, words }) {
      const ex = requireExplorer();
      const ends = wholeNumber(count, 'words at each end', 1, MAX_RANK_COUNT);
      const { built, leftOut } = build(ex, { pairs, method }, partialExtent);
      const [first] = built.pairs;
      const common = { space: built.space, consistency: built.consistency, leftOut, towards: { positive: first.to, negative: first.from } };
      if (words === undefined) {
        const scope = wholeNumber(among, 'the most frequent words ranked', 10, ex.size);
        const ranking = rankAlong(ex, built, { count: ends, among: scope });
        return { ...common, among: scope, positive: shown(ranking.positive), negative: shown(ranking.negative), missing: [], missingReason: '' };
      }
      if (!Array.isArray(words) || words.some((w) => typeof w !== 'string')) throw badArgument('the word list must be a list of words');
      const distinct = [...new Set(words.map((w) => w.trim()).filter(Boolean))];
      if (distinct.length === 0) throw new ExplorerError('the word list is empty: paste words to rank, e.g. nurse engineer teacher', { code: ErrorCode.EMPTY_INPUT });
      if (distinct.length > MAX_LISTED_WORDS) {
        throw new ExplorerError(`the word list has ${distinct.length} words; at most ${MAX_LISTED_WORDS} are ranked`, { code: ErrorCode.TOO_LARGE });
      }
      // A pasted list often has a few words the table lacks: they are named, not fatal.
      const known = distinct.filter((w) => ex.find(w) >= 0);
      const missing = distinct.filter((w) => ex.find(w) < 0);
      if (known.length === 0) {
        throw new ExplorerError(`none of the ${distinct.length} listed words is in the table (${quoted(distinct.slice(0, 5))}${distinct.length > 5 ? ', …' : ''})`, {
          code: ErrorCode.UNKNOWN_WORD,
          word: distinct[0],
        });
      }
      // The same word spelt twice ("Nurse nurse") is one row.
      const ids = [...new Set(known.map((w) => ex.find(w)))];
      const ranking = rankAlong(ex, built, { count: Math.min(ends, ids.length), words: ids });
      return {
        ...common,
        positive: shown(ranking.positive),
        negative: shown(ranking.negative),
        listed: shown(ranking.listed ?? []),
        missing,
        missingReason: missing.length ? missingReason(partialExtent) : '',
      };
    },
  };
}

/**
 * The page's query in the current space and in the current space with the
 * direction projected out (`BASE~a:b,c:d[@pc]`), with the words that
 * entered and left the top k. The current space is restored after.
 * @param {() => EmbeddingExplorer} requireExplorer
 * @param {PartialExtent} partialExtent
 * @returns {import('./jobs.js').Handler<'beforeAfter'>}
 */
export function beforeAfterHandler(requireExplorer, partialExtent) {
  return {
    mode: Mode.queued,
    run({ pairs, method, query }) {
      const ex = requireExplorer();
      const { usable, leftOut } = usablePairs(ex, pairs, partialExtent);
      // The page's own limit; the core names its own if it has a lower one.
      const k = wholeNumber(query?.k ?? 10, 'k', 1, 1000);
      /** @type {import('../../../wasm/js/directions.js').Query} */
      let asked;
      if (query?.kind === 'neighbors') asked = { neighbors: query.word, k };
      else if (query?.kind === 'expression') asked = { expression: query.text, k };
      else if (query?.kind === 'analogy') asked = { analogy: [query.a, query.b, query.c], k, method: query.method ?? '3cosadd' };
      else throw badArgument('there is no query to compare: ask one above (an analogy, an expression or a word\'s neighbours) first');
      const out = beforeAfter(ex, asked, { neutralise: usable, method: checkMethod(method) });
      return {
        before: { space: out.before.space, results: shown(out.before.results) },
        after: { space: out.after.space, results: shown(out.after.results) },
        entered: shown(out.entered),
        left: shown(out.left),
        pairs: usable,
        leftOut,
      };
    },
  };
}
