// Directions, neutralised spaces and what makes two words similar: the
// wrapper calls for issue 9's teaching tools, as functions that take the
// EmbeddingExplorer (re-exported by explorer.js). Arguments are plain
// values, results plain objects with typed arrays, and failures are
// ExplorerErrors with codes, so a Web Worker can run each one for a page.
//
//   const gender = direction(explorer, [['he', 'she'], ['man', 'woman']]);
//   rankAlong(explorer, gender, { words: ['nurse', 'engineer'] });
//   explorer.setSpace(neutralisedSpace('centered', [['he', 'she']]));
//   beforeAfter(explorer, { analogy: ['man', 'doctor', 'woman'] }, { neutralise: [['he', 'she']] });
import { ErrorCode, ExplorerError } from './errors.js';
import { guarded } from './explorer.js';

/** @typedef {import('./explorer.js').EmbeddingExplorer} EmbeddingExplorer */
/** @typedef {import('./explorer.js').ScoredWord} ScoredWord */
/** @typedef {import('./explorer.js').AnalogyMethod} AnalogyMethod */
/** @typedef {'mean' | 'pc'} DirectionMethod */
/** @typedef {[string | number, string | number]} WordPairInput */
/**
 * A direction from word pairs, in the space `space` (canonical spec) it was built in.
 * `consistency`: the share of the pairs' variance on the first principal component.
 * @typedef {{ space: string, method: DirectionMethod, direction: Float32Array, consistency: number,
 *   componentShares: Float64Array, pairs: { from: string, to: string, cosine: number, length: number }[] }} PairDirection
 */
/**
 * Both ends of a direction: `positive` from the largest projection down, `negative` from the
 * smallest up; with a word list, `listed` is the whole list from the largest projection down.
 * @typedef {{ space: string, positive: ScoredWord[], negative: ScoredWord[], listed?: ScoredWord[] }} DirectionRanking
 */
/**
 * Per-dimension contributions to a cosine, largest |product| first: dims[i] is the dimension,
 * products[i] = u_d v_d of the unit vectors, running[i] the sum so far (ends at `cosine`),
 * share[i] = running[i] / cosine.
 * @typedef {{ space: string, first: string, second: string, cosine: number, dims: Uint32Array, products: Float32Array,
 *   running: Float32Array, share: Float32Array, positiveSum: number, negativeSum: number }} Contributions
 */
/**
 * Heatmap rows: a word is its unit vector in the space, an expression the weighted sum of unit
 * vectors it stands for (not normalised). `values` is rows x dims; `norms` each row's length as
 * shown; `lengths` a word's space vector length before normalising (NaN for an expression).
 * @typedef {{ space: string, dims: number, labels: string[], expressions: string[], values: Float32Array,
 *   norms: Float64Array, lengths: Float64Array }} Heatmap
 */
/**
 * One query of beforeAfter: neighbours of a word, an analogy a : b :: c : ?, or an expression.
 * @typedef {{ neighbors?: string, analogy?: [string, string, string], expression?: string, k?: number,
 *   method?: AnalogyMethod }} Query
 * @typedef {{ space: string, results: ScoredWord[] }} SpaceAnswer
 * @typedef {{ before: SpaceAnswer, after: SpaceAnswer, entered: ScoredWord[], left: ScoredWord[] }} BeforeAfter
 */

/** @param {string} message */
const badArgument = (message) => new ExplorerError(message, { code: ErrorCode.BAD_ARGUMENT });

/**
 * @param {EmbeddingExplorer} explorer
 * @param {string | number} word
 */
const idOf = (explorer, word) => (typeof word === 'number' ? word : explorer.id(word));

/** @param {unknown} method @returns {DirectionMethod} */
function checkDirectionMethod(method) {
  if (method !== 'mean' && method !== 'pc') throw badArgument(`unknown direction method "${method}" (expected mean or pc)`);
  return method;
}

/**
 * @param {unknown} pairs
 * @returns {WordPairInput[]}
 */
function checkPairs(pairs) {
  if (!Array.isArray(pairs) || pairs.length === 0) {
    throw new ExplorerError('a direction needs at least one word pair, e.g. [["he", "she"]]', { code: ErrorCode.EMPTY_INPUT });
  }
  for (const [i, pair] of pairs.entries()) {
    if (!Array.isArray(pair) || pair.length !== 2) throw badArgument(`pair ${i + 1} is not [from, to]`);
  }
  return /** @type {WordPairInput[]} */ (pairs);
}

/**
 * The characters a space spec's syntax uses, written %XX inside words (as the core's escapeSpecWord).
 * @param {string} word
 */
export function escapeSpecWord(word) {
  // eslint-disable-next-line no-control-regex
  return word.replace(/[%~,:@\u0000-\u0020\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * The spec of `base` with the direction of `pairs` projected out: "centered~he:she,man:woman",
 * "+@pc" for the principal component. Layers stack: the base may already be neutralised.
 * @param {string} base a space spec ('raw', 'centered', 'whitened:50', 'raw~he:she', ...)
 * @param {[string, string][]} pairs
 * @param {{ method?: DirectionMethod }} [options]
 */
export function neutralisedSpace(base, pairs, { method = 'mean' } = {}) {
  checkDirectionMethod(method);
  checkPairs(pairs);
  if (typeof base !== 'string' || !base) throw badArgument('neutralisedSpace needs a base space, e.g. "raw"');
  for (const pair of pairs) {
    if (pair.some((w) => typeof w !== 'string' || !w)) throw badArgument('neutralised pairs are words (strings)');
  }
  const layer = pairs.map(([from, to]) => `${escapeSpecWord(from)}:${escapeSpecWord(to)}`).join(',');
  return `${base}~${layer}${method === 'pc' ? '@pc' : ''}`;
}

/**
 * A direction from word pairs (Bolukbasi et al. 2016): the mean of the normalised differences
 * u(to) − u(from), or their first principal component (each pair centred on its own mean),
 * with the pairs' consistency and each pair's cosine to the direction.
 * @param {EmbeddingExplorer} explorer
 * @param {WordPairInput[]} pairs
 * @param {{ method?: DirectionMethod, space?: string }} [options] space: default the current one (not switched)
 * @returns {PairDirection}
 */
export function direction(explorer, pairs, { method = 'mean', space = '' } = {}) {
  checkDirectionMethod(method);
  const flat = checkPairs(pairs).flatMap(([from, to]) => [idOf(explorer, from), idOf(explorer, to)]);
  const out = guarded(() => explorer.module.directionFromPairs(explorer.core, flat, method, String(space)));
  return {
    space: out.space,
    method: out.method,
    direction: out.direction,
    consistency: out.consistency,
    componentShares: out.componentShares,
    pairs: pairs.map((_, i) => ({
      from: explorer.words[flat[2 * i]],
      to: explorer.words[flat[2 * i + 1]],
      cosine: out.pairCosines[i],
      length: out.pairLengths[i],
    })),
  };
}

/**
 * @param {EmbeddingExplorer} explorer
 * @param {import('./core-module.js').CoreScored} scored
 * @returns {ScoredWord[]}
 */
const scoredWords = (explorer, { ids, scores }) => Array.from(ids, (id, i) => ({ word: explorer.words[id], id, score: scores[i] }));

/**
 * Words ranked by their scalar projection u · d onto a direction (cosine units), at both ends:
 * over the vocabulary (the `among` most frequent words; 0 = all), or over `words` (e.g. occupations).
 * A PairDirection is ranked in the space it was built in; a bare Float32Array in `space`.
 * @param {EmbeddingExplorer} explorer
 * @param {PairDirection | Float32Array} along
 * @param {{ count?: number, among?: number, words?: (string | number)[], space?: string }} [options]
 * @returns {DirectionRanking}
 */
export function rankAlong(explorer, along, { count = 10, among = 0, words, space = '' } = {}) {
  const isDirection = along instanceof Float32Array;
  const vector = isDirection ? along : along?.direction;
  if (!(vector instanceof Float32Array)) throw badArgument('rankAlong needs a direction (from direction()) or a Float32Array');
  const inSpace = isDirection ? String(space) : /** @type {PairDirection} */ (along).space;
  if (!Number.isInteger(count) || count < 1 || count > 10000) throw badArgument(`count must be a whole number from 1 to 10000, got ${count}`);
  if (!Number.isInteger(among) || among < 0) throw badArgument(`among must be a whole number >= 0, got ${among}`);
  const spaceName = inSpace || explorer.space;
  if (words !== undefined) {
    if (!Array.isArray(words) || words.length === 0) throw new ExplorerError('the word list is empty', { code: ErrorCode.EMPTY_INPUT });
    const ids = words.map((w) => idOf(explorer, w));
    const projections = guarded(() => explorer.module.projectOntoDirection(explorer.core, vector, ids, inSpace));
    const listed = ids
      .map((id, i) => ({ word: explorer.words[id], id, score: projections[i] }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
    const n = Math.min(count, listed.length);
    return { space: spaceName, positive: listed.slice(0, n), negative: listed.slice(-n).reverse(), listed };
  }
  const ends = guarded(() => explorer.module.rankAlongDirection(explorer.core, vector, count, among, inSpace));
  return { space: spaceName, positive: scoredWords(explorer, ends.positive), negative: scoredWords(explorer, ends.negative) };
}

/**
 * @param {EmbeddingExplorer} explorer
 * @param {Query} query
 * @returns {ScoredWord[]}
 */
function answer(explorer, { neighbors, analogy, expression, k = 10, method = '3cosadd' }) {
  if (neighbors !== undefined) return explorer.neighbors(neighbors, { k }).results;
  if (analogy !== undefined) {
    if (!Array.isArray(analogy) || analogy.length !== 3) throw badArgument('an analogy query is [a, b, c]');
    return explorer.analogy(analogy[0], analogy[1], analogy[2], { k, method }).results;
  }
  if (expression !== undefined) return explorer.expression(expression, { k }).results;
  throw badArgument('a query needs neighbors, analogy or expression');
}

/**
 * Runs one query in the current space and in a neutralised one, and lists the words that
 * entered and left the top k. `neutralise` is a full space spec or pairs to project out of the
 * current space. The current space is switched for the second run and always restored.
 * @param {EmbeddingExplorer} explorer
 * @param {Query} query
 * @param {{ neutralise: string | [string, string][], method?: DirectionMethod }} options
 * @returns {BeforeAfter}
 */
export function beforeAfter(explorer, query, { neutralise, method = 'mean' }) {
  const current = explorer.space;
  const afterSpec = typeof neutralise === 'string' ? neutralise : neutralisedSpace(current, neutralise, { method });
  const before = answer(explorer, query);
  let after;
  let afterSpace;
  try {
    afterSpace = explorer.setSpace(afterSpec);
    after = answer(explorer, query);
  } finally {
    explorer.setSpace(current);
  }
  const beforeIds = new Set(before.map((r) => r.id));
  const afterIds = new Set(after.map((r) => r.id));
  return {
    before: { space: current, results: before },
    after: { space: afterSpace, results: after },
    entered: after.filter((r) => !beforeIds.has(r.id)),
    left: before.filter((r) => !afterIds.has(r.id)),
  };
}

/**
 * Per-dimension contributions u_d · v_d to the cosine of two words, or of a query and a result:
 * each side is a word or an expression ("king - man + woman"), taken as its unit vector.
 * @param {EmbeddingExplorer} explorer
 * @param {string} first
 * @param {string} second
 * @param {{ space?: string }} [options]
 * @returns {Contributions}
 */
export function contributions(explorer, first, second, { space = '' } = {}) {
  if (typeof first !== 'string' || typeof second !== 'string') throw badArgument('contributions needs two words or expressions');
  const out = guarded(() => explorer.module.contributionsOf(explorer.core, first, second, String(space)));
  return { first, second, ...out };
}

/** At most this many heatmap rows: a row is a whole vector, and more stop being readable. */
export const MAX_HEATMAP_ROWS = 16;

/**
 * Heatmap rows of words and expressions in a space (default: the current one).
 * @param {EmbeddingExplorer} explorer
 * @param {string[]} expressions
 * @param {{ space?: string, labels?: string[] }} [options]
 * @returns {Heatmap}
 */
export function heatmap(explorer, expressions, { space = '', labels } = {}) {
  if (!Array.isArray(expressions) || expressions.length === 0) {
    throw new ExplorerError('the heatmap needs at least one word or expression', { code: ErrorCode.EMPTY_INPUT });
  }
  if (expressions.length > MAX_HEATMAP_ROWS) {
    throw new ExplorerError(`the heatmap shows at most ${MAX_HEATMAP_ROWS} rows, got ${expressions.length}`, { code: ErrorCode.TOO_LARGE });
  }
  const out = guarded(() => explorer.module.heatmapRows(explorer.core, expressions.map(String), String(space)));
  return { ...out, labels: labels ?? expressions.map(String), expressions: expressions.map(String) };
}

/**
 * The heatmap after an analogy a : b :: c : ?: a, b, b − a, c, b − a + c and the answer
 * (default: the top 3CosAdd answer in the space).
 * @param {EmbeddingExplorer} explorer
 * @param {string} a
 * @param {string} b
 * @param {string} c
 * @param {{ answer?: string, space?: string }} [options]
 * @returns {Heatmap}
 */
export function analogyHeatmap(explorer, a, b, c, { answer: given, space = '' } = {}) {
  const [wa, wb, wc] = [a, b, c].map((w) => explorer.words[explorer.id(w)]);
  let d = given;
  if (d === undefined) {
    const current = explorer.space;
    try {
      if (space) explorer.setSpace(space);
      d = explorer.analogy(wa, wb, wc, { k: 1 }).results[0].word;
    } finally {
      if (space) explorer.setSpace(current);
    }
  }
  const rows = [wa, wb, `${wb} - ${wa}`, wc, `${wb} - ${wa} + ${wc}`, String(d)];
  const labels = [wa, wb, `${wb} − ${wa}`, wc, `${wb} − ${wa} + ${wc}`, String(d)];
  return heatmap(explorer, rows, { space, labels });
}

/**
 * Odd-one-out with each word's cosine to the mean of the OTHER words (lowest first: `odd`).
 * @param {EmbeddingExplorer} explorer
 * @param {(string | number)[]} words
 * @param {{ space?: string }} [options]
 * @returns {{ odd: string, results: ScoredWord[] }}
 */
export function cosineToOthers(explorer, words, { space = '' } = {}) {
  if (!Array.isArray(words) || words.length < 3) throw badArgument('odd-one-out needs a list of at least 3 words');
  const ids = words.map((w) => idOf(explorer, w));
  const results = scoredWords(explorer, guarded(() => explorer.module.cosineToOthers(explorer.core, ids, String(space))));
  return { odd: results[0].word, results };
}
