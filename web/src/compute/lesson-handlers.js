// The worker's side of lesson figures and checks (issue 10 §2) that no
// other request answers: measures in a named space (a step's figure may ask
// for "centered" while the page shows "raw"), and the synthetic cone table.
// A missing word is never an error here: the answer names it, so a lesson
// written for GloVe still runs (and says what it lacks) on another table.
import { EmbeddingExplorer, ErrorCode, displayWord, quantizeTable } from '../../../wasm/js/explorer.js';
import { CONE_NEIGHBOUR_ROWS, CONE_PAIR_ROWS, CONE_SPACES, MAX_CONE_ROWS, coneTable } from './synthetic-cone.js';
import { failure } from './jobs.js';
import { Mode, Request } from './protocol.js';

/** @typedef {import('../../../wasm/js/explorer.js').EmbeddingExplorer} Explorer */
/** @typedef {import('./protocol.js').LessonMeasureArgs} LessonMeasureArgs */
/** @typedef {import('./protocol.js').LessonMeasureAnswer} LessonMeasureAnswer */

// Cone answers kept, by recipe: a lesson step is revisited with Back and Next.
const KEPT_CONES = 8;

/**
 * Runs `work` in `space` (when given), then puts the page's space back; spaces are cached in the core, so both switches are lookups.
 * @template R
 * @param {Explorer} ex
 * @param {string | undefined} space
 * @param {() => R} work
 * @returns {R}
 */
function inSpace(ex, space, work) {
  const before = ex.space;
  if (!space || space === before) return work();
  ex.setSpace(space);
  try {
    return work();
  } finally {
    ex.setSpace(before);
  }
}

/**
 * @param {() => Explorer} requireExplorer
 * @param {() => import('./files.js').TableExtent | null} partialExtent
 * @returns {Pick<import('./jobs.js').HandlerTable, 'lessonMeasure' | 'syntheticCone'>}
 */
export function lessonHandlers(requireExplorer, partialExtent) {
  /**
   * The words the table lacks; while the default table streams in, a missing word may only not have arrived yet.
   * @param {Explorer} ex
   * @param {string[]} words
   */
  function missingOf(ex, words) {
    const missing = [...new Set(words.filter((word) => ex.find(word) < 0))];
    const extent = partialExtent();
    if (missing.length && extent) {
      throw failure(ErrorCode.NOT_READY, `"${missing[0]}" has not arrived yet: the table is still loading (${extent.rows.toLocaleString('en')} of ${extent.totalRows.toLocaleString('en')} words so far).`);
    }
    return missing;
  }

  /**
   * @param {Explorer} ex
   * @param {LessonMeasureArgs} args
   * @returns {LessonMeasureAnswer}
   */
  function measure(ex, args) {
    switch (args.measure) {
      case 'cosines': {
        const missing = missingOf(ex, [args.target, ...args.words]);
        if (missing.length) return { measure: 'cosines', space: args.space ?? ex.space, missing, cosines: [] };
        return inSpace(ex, args.space, () => ({
          measure: 'cosines',
          space: ex.space,
          missing,
          cosines: args.words.map((word) => ({ word: ex.words[ex.id(word)], cosine: ex.similarity(args.target, word) })),
        }));
      }
      case 'rank': {
        const { word, a, b, c, method = '3cosadd', inputs = false } = args;
        const missing = missingOf(ex, [a, b, c, word]);
        if (missing.length) return { measure: 'rank', space: args.space ?? ex.space, missing, method, rank: null, score: null, first: null };
        return inSpace(ex, args.space, () => {
          const { rank, score } = ex.rank(a, b, c, word, { method, includeInputs: inputs });
          const [first] = ex.analogy(a, b, c, { k: 1, method, includeInputs: inputs }).results;
          return { measure: 'rank', space: ex.space, missing, method, rank, score, first: first ? { ...first, display: displayWord(first.word) } : null };
        });
      }
      case 'offsets': {
        const missing = missingOf(ex, args.pairs.flat());
        const kept = args.pairs.filter((pair) => pair.every((word) => !missing.includes(word)));
        const leftOut = args.pairs.filter((pair) => !kept.includes(pair));
        if (kept.length < 2) return { measure: 'offsets', space: args.space ?? ex.space, missing, leftOut, consistency: null, pairs: [] };
        return inSpace(ex, args.space, () => {
          const report = ex.offsetConsistency(kept);
          const consistency = report.pairs.reduce((sum, pair) => sum + pair.cosine, 0) / report.pairs.length;
          return { measure: 'offsets', space: ex.space, missing, leftOut, consistency, pairs: report.pairs };
        });
      }
      case 'nearest': {
        const missing = missingOf(ex, [args.word]);
        if (missing.length) return { measure: 'nearest', missing, word: args.word, nearest: [] };
        const nearest = args.spaces.map((space) =>
          inSpace(ex, space, () => {
            const [top] = ex.neighbors(args.word, { k: 1 }).results;
            return { space: ex.space, word: top.word, display: displayWord(top.word), cosine: top.score };
          }),
        );
        return { measure: 'nearest', missing, word: ex.words[ex.id(args.word)], nearest };
      }
      case 'table': {
        const info = ex.info;
        if (!info) throw failure(ErrorCode.NOT_READY, 'no table is loaded yet');
        return { measure: 'table', missing: [], name: info.name, words: info.words, dims: info.dims, memoryBytes: info.memoryBytes, partial: Boolean(partialExtent()) };
      }
      default:
        throw failure(ErrorCode.BAD_ARGUMENT, `unknown lesson measure "${/** @type {{ measure: unknown }} */ (args).measure}" (expected cosines, rank, offsets, nearest or table)`);
    }
  }

  /** @type {Map<string, import('./protocol.js').ConeReport>} */
  const cones = new Map();

  /**
   * Builds the cone in a core instance of its own, on the page's wasm
   * module: the page's table and spaces are never touched, and the cone is
   * freed as soon as its figures are read.
   * @param {{ rows: number, dims: number, shared: number, seed: number }} recipe
   */
  function buildCone(recipe) {
    const started = performance.now();
    const table = coneTable(recipe);
    const module = requireExplorer().module;
    const cone = new EmbeddingExplorer(module);
    try {
      cone.load(quantizeTable(module, { values: table.values, rows: table.rows, dims: table.dims, words: table.words, name: 'synthetic cone' }));
      const sample = Math.min(recipe.rows, CONE_PAIR_ROWS);
      /** @type {Record<string, number>} */
      const meanPairCosine = {};
      for (const space of CONE_SPACES) meanPairCosine[space] = cone.stats({ sample, seed: 1, space }).meanPairCosine;
      const checked = Math.min(recipe.rows, CONE_NEIGHBOUR_ROWS);
      const nearestIn = (/** @type {string} */ space) => {
        cone.setSpace(space);
        return Array.from({ length: checked }, (_, row) => cone.neighbors(row, { k: 1 }).results[0]?.id ?? -1);
      };
      const raw = nearestIn('raw');
      /** @type {Record<string, number>} */
      const neighboursChanged = {};
      for (const space of CONE_SPACES.slice(1)) {
        const moved = nearestIn(space);
        neighboursChanged[space] = moved.filter((id, row) => id !== raw[row]).length;
      }
      return { ...recipe, pairRows: sample, checkedRows: checked, meanPairCosine, neighboursChanged, seconds: (performance.now() - started) / 1000 };
    } finally {
      cone.dispose();
    }
  }

  return {
    [Request.lessonMeasure]: {
      mode: Mode.queued,
      run: (args) => measure(requireExplorer(), args),
    },
    [Request.syntheticCone]: {
      mode: Mode.queued,
      run({ rows = 2000, dims = 50, shared = 3, seed = 1 }) {
        const whole = (/** @type {number} */ value, /** @type {number} */ min, /** @type {number} */ max) => Number.isInteger(value) && value >= min && value <= max;
        if (!whole(rows, 50, MAX_CONE_ROWS)) throw failure(ErrorCode.BAD_ARGUMENT, `a cone table has 50 to ${MAX_CONE_ROWS.toLocaleString('en')} rows, not ${rows}`);
        if (!whole(dims, 2, 512)) throw failure(ErrorCode.BAD_ARGUMENT, `a cone table has 2 to 512 dimensions, not ${dims}`);
        if (!(typeof shared === 'number' && shared >= 0 && shared <= 100)) throw failure(ErrorCode.BAD_ARGUMENT, `the shared direction's length is from 0 to 100, not ${shared}`);
        if (!whole(seed, 0, 2 ** 31 - 1)) throw failure(ErrorCode.BAD_ARGUMENT, `the seed is a whole number from 0 to 2^31 - 1, not ${seed}`);
        const key = JSON.stringify([rows, dims, shared, seed]);
        let report = cones.get(key);
        if (!report) {
          report = buildCone({ rows, dims, shared, seed });
          cones.set(key, report);
          for (const old of [...cones.keys()].slice(0, -KEPT_CONES)) cones.delete(old);
        }
        return report;
      },
    },
  };
}
