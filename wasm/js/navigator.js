// The neighbour navigator: hop from a start word to a target word through
// nearest-10 lists. The graph is the core's batched k-NN over the N most
// frequent words (built in steps, like knnGraph), kept in the wasm heap;
// shortest paths, hints and seeded puzzles are breadth-first searches in
// the core (wasm/core/search/src/knn_paths.cpp).
//
//   const nav = await buildNavigator(explorer, { words: 10000 });
//   nav.path('cat', 'car');            // { words: [...], hops } or { words: [], hops: null }
//   nav.pick({ hops: 4, seed: 7 });    // { start, target, hops: 4 }
//   nav.dispose();
import { ErrorCode, ExplorerError } from './errors.js';
import { guarded, runInSteps } from './explorer.js';

/** @typedef {import('./explorer.js').EmbeddingExplorer} EmbeddingExplorer */
/** @typedef {import('./explorer.js').StepOptions} StepOptions */
/** @typedef {import('./explorer.js').StepProgress} StepProgress */
/** @typedef {{ words: string[], hops: number | null }} NavigatorPath */
/** @typedef {{ word: string, cosine: number, hopsToTarget: number | null }} NavigatorHint */

/** @param {string} message */
const badArgument = (message) => new ExplorerError(message, { code: ErrorCode.BAD_ARGUMENT });

const UNREACHABLE = 0xffffffff;

export class Navigator {
  /**
   * @param {import('./core-module.js').CoreNavigatorGraph} graph
   * @param {{ words: string[], k: number, space: string }} options the graph's words, by position
   */
  constructor(graph, { words, k, space }) {
    this.#graph = graph;
    /** The words the game plays over, most frequent first. */
    this.words = words;
    this.k = k;
    this.space = space;
    /** @type {Map<string, number>} */
    this.#positions = new Map(words.map((w, i) => [w, i]));
  }

  /** @type {import('./core-module.js').CoreNavigatorGraph | null} */
  #graph;
  /** @type {Map<string, number>} */
  #positions;

  /**
   * Position of a word in the game's vocabulary; throws UNKNOWN_WORD when it is not among them.
   * @param {string} word
   */
  position(word) {
    const at = this.#positions.get(word) ?? this.#positions.get(String(word).toLowerCase());
    if (at === undefined) {
      throw new ExplorerError(`"${word}" is not among the navigator's ${this.words.length} most frequent words`, {
        code: ErrorCode.UNKNOWN_WORD,
        word: String(word),
      });
    }
    return at;
  }

  /**
   * The shortest path (fewest hops; among equals, through nearer neighbours), or hops null
   * and no words when the target cannot be reached.
   * @param {string} start
   * @param {string} target
   * @returns {NavigatorPath}
   */
  path(start, target) {
    const graph = this.#live();
    const from = this.position(start), to = this.position(target);
    const positions = guarded(() => graph.path(from, to));
    if (positions.length === 0) return { words: [], hops: null };
    return { words: Array.from(positions, (p) => this.words[p]), hops: positions.length - 1 };
  }

  /**
   * A word's nearest-k list, each with its hops to `target` (null: no way on from there):
   * the game's hints.
   * @param {string} word
   * @param {string} [target]
   * @returns {NavigatorHint[]}
   */
  neighbors(word, target) {
    const graph = this.#live();
    const { positions, cosines } = guarded(() => graph.neighbors(this.position(word)));
    const hops = target === undefined ? null : guarded(() => graph.hopsTo(this.position(target)));
    return Array.from(positions, (p, i) => ({
      word: this.words[p],
      cosine: cosines[i],
      hopsToTarget: hops === null || hops[p] === UNREACHABLE ? null : hops[p],
    }));
  }

  /**
   * A seeded puzzle: start and target words whose shortest path has exactly `hops` hops.
   * @param {{ hops?: number, seed?: number }} [options]
   */
  pick({ hops = 4, seed = 1 } = {}) {
    const graph = this.#live();
    if (!Number.isInteger(hops) || hops < 1) throw badArgument(`hops must be a whole number >= 1, got ${hops}`);
    const { start, target } = guarded(() => graph.pick(hops, seed));
    return { start: this.words[start], target: this.words[target], hops };
  }

  /** Frees the graph in the wasm heap. */
  dispose() {
    this.#graph?.delete();
    this.#graph = null;
  }

  #live() {
    if (!this.#graph) throw badArgument('the navigator was disposed');
    return this.#graph;
  }
}

/**
 * Builds the navigator's directed nearest-k graph over the `words` most frequent words,
 * in `space` (default: the current one, which is not switched). Runs in short steps.
 * @param {EmbeddingExplorer} explorer
 * @param {{ words?: number, k?: number, space?: string, onProgress?: (progress: StepProgress) => void } & StepOptions} [options]
 * @returns {Promise<Navigator>}
 */
export async function buildNavigator(explorer, { words = 10000, k = 10, space = '', onProgress, signal, between } = {}) {
  const total = explorer.words.length;
  if (!Number.isInteger(words) || words < 2 || words > total) {
    throw badArgument(`the navigator needs 2 to ${total} words (the table's), got ${words}`);
  }
  if (!Number.isInteger(k) || k < 1 || k >= words) throw badArgument(`k must be from 1 to ${words - 1}, got ${k}`);
  const graph = new explorer.module.NavigatorGraph();
  try {
    const ids = Array.from({ length: words }, (_, i) => i);
    guarded(() => graph.start(explorer.core, ids, k, String(space)));
    await runInSteps((rows) => guarded(() => graph.step(rows)), {
      what: 'the navigator graph',
      signal,
      between,
      onStep: () => onProgress?.({ done: graph.done(), total: words }),
      firstBatch: 64,
      maxBatch: 1 << 22,
    });
    onProgress?.({ done: words, total: words });
    return new Navigator(graph, { words: explorer.words.slice(0, words), k, space: String(space) || explorer.space });
  } catch (error) {
    graph.delete();
    throw error;
  }
}
